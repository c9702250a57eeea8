"""Pages of the contact centre: templates, static files and translations, all served locally."""
