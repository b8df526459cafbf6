"""Generated gRPC stubs of communique.v1 (built from proto/ at install)."""
