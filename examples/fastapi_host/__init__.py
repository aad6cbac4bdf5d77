"""A reference web host embedding influcampaign with FastAPI: copy it, then replace the
header-based principals with your authentication. See docs/hosting.md."""
