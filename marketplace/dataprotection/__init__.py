"""Data protection for the people supported: what is held about a person and their family (``records``),
the subject-access archive (``export``), and erasure or anonymisation (``erasure``). The council
administrator's pages are in ``views``. See docs/data-protection.md."""
