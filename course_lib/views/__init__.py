"""Widget views: thin ipywidgets layers over the pure logic modules."""
