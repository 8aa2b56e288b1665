"""The render stage: the catalog into every file of the site (site.py's `render_site`), one
generator per kind of output, in each of the site's languages. Importing the package loads
nothing: `check` reads the catalogues (catalogues.py) without Jinja or folium.
"""
