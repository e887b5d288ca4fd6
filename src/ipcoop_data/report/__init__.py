"""Findings, the Report that collects them, the registry of finding codes, baselines, and the
renderers (text, JSON, GitHub annotations, JUnit XML).
"""
