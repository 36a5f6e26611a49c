"""The Jinja2 web site for officials."""
