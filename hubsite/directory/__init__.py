"""Stage 2, directory: the whole catalog, derived once from the records, so every page sees one
consistent whole: hubs with their places, zones and sessions, partners, countries, courses.
"""
