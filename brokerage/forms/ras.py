"""The RAS questionnaire as a form: one set of radio buttons a question, built from the questionnaire."""

from django import forms

from brokerage.models import RASAnswer, RASQuestion


class AnswerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RASAnswer) -> str:  # type: ignore[override]
        return obj.text


class RASCompleteForm(forms.Form):
    def __init__(self, *args, questions: list[RASQuestion], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = AnswerChoiceField(
                label=f"{question.order}. {question.text}",
                help_text=question.help_text,
                queryset=question.answers.all(),
                widget=forms.RadioSelect,
                empty_label=None,
            )
            field.error_messages["required"] = f"Answer question {question.order}"
            field.error_messages["invalid_choice"] = f"Choose one of the answers to question {question.order}"
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: RASQuestion) -> str:
        return f"question_{question.order}"

    def chosen_answers(self) -> list[RASAnswer]:
        return [self.cleaned_data[self.field_name(question)] for question in self.questions]
