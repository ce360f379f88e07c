"""Forms, one module per record kind (base.py: the FormScreen they share)."""
