"""Test helpers: fakes and fixtures shared by test modules."""
