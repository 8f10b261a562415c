"""Inspection records: inspectorates, organisations, inspections, findings and scores."""
