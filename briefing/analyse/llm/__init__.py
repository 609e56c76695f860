"""The LLM analyst: an OpenAI-compatible chat client, its JSON schema and settings, and the analyst."""
