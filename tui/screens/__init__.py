"""UI: screens and widgets."""
