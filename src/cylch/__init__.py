"""Cylch: the circle of agencies around a child."""
