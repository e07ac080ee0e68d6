"""The rewriter: what PostgreSQL's rewriteHandler does to a query before planning.

Views read in FROM are expanded by the analyzer (analyze/select.py); this
package holds the rewriting of statements whose *target* is a view
(automatically updatable views, updatable.py).
"""
