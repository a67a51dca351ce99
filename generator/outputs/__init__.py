"""Stage 3, outputs: what the site publishes, made in memory from the checked catalogue. ``registry`` names
every published path (and refuses two outputs on one path); ``render`` and its templates make the pages,
``exports`` the downloads and catalogues, ``charts`` and ``social`` the images."""
