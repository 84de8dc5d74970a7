"""SeqDB's next-generation sequencing workflow: index sets, library preps on plates, pools, sequencing runs,
quality control, and Illumina sample sheets in and out."""
