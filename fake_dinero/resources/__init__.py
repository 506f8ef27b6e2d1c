"""Dinero's resources over HTTP, one module each: parse a request, call the domain, render.

The whole API the fake serves is listed once, in ``fake_dinero.route_table``.
"""
