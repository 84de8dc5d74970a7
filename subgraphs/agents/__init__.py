"""Agents: the people and organisations around specimens (DINA agent-api)."""
