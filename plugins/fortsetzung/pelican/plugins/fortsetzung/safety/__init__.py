"""Safety: every content file is untrusted input; what is read, vetted, written and checked.

- reading: `source` (the safe readers: confined to the content folder,
  UTF-8, limited), `kept_conversions` (their conversions kept for the next
  build), `frontmatter` (the one header grammar), `limits` (what reading
  may cost);
- vetting each content object as Pelican makes it (`vet_content`), with the
  sanitiser (`sanitize`), SVG drawings rebuilt by allow-list (`svg`), raster
  pictures as Pillow reads them (`pictures`);
- the gate every written file passes (`output_plan`: the plan of every file
  the build writes, and who may claim which address), addresses compared as a
  reader sees them (`lookalike`);
- checking the finalised site (`check_site`), the header (`headers`) and
  unfinished text (`placeholders`).
"""
