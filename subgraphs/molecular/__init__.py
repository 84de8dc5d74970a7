"""Molecular work (DINA SeqDB): PCR, sequencing and the sequences made from specimens."""
