"""Fengqiao (枫桥): a platform for comprehensive social-governance centers."""
