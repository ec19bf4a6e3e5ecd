"""Staff pages, one module per page family: thin views that parse, call a service or a
selector of the owning app, and render a page or an htmx partial."""
