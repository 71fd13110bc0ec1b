// The card page of a top-up: mounts Stripe's Payment Element with the PaymentIntent's client secret and
// confirms the payment. Stripe sends the browser to the return page afterwards (or, for a card that needs
// no extra step, confirmPayment redirects there too). The money is recorded only by Stripe's webhook.
const configElement = document.getElementById("top-up-card-config");
const form = document.getElementById("top-up-card-form");

function showError(message) {
  const summary = document.getElementById("card-errors");
  document.getElementById("card-error-message").textContent = message;
  summary.hidden = false;
  summary.focus();
}

if (configElement && form && typeof window.Stripe === "function") {
  const config = JSON.parse(configElement.textContent);
  const stripe = window.Stripe(config.publishableKey);
  const elements = stripe.elements({ clientSecret: config.clientSecret });
  elements.create("payment").mount("#payment-element");
  form.hidden = false;
  const button = document.getElementById("top-up-card-pay");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
    const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: config.returnUrl } });
    // Reached only when the payment could not be confirmed (otherwise the browser has gone to return_url).
    showError(error.message || "Your card payment did not go through. Check your details and try again.");
    button.disabled = false;
    button.removeAttribute("aria-disabled");
  });
} else if (form) {
  showError("The card form could not be loaded. Try again later, or pay by bank transfer.");
}
