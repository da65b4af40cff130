"""The extractor: polars stages, eager at their edges and lazy inside.

``extract.parse`` runs the stages in order, each taking and returning DataFrames, so each
stage boundary is one collect and shows in the stage's signature:

1. ``text.sentences``: documents -> sentences with offsets;
2. ``scope.fact_paragraphs`` (and ``scope.dated_sentences``): where facts can be;
3. ``places.place_mentions``, ``dates.sentence_dates``, ``attribution.sentence_speakers``:
   the context every fact type reads (``facts.Context``);
4. ``strikes.strike_reports``, ``casualties.casualty_reports``, ``claims.claim_reports``.

The stages of steps 3 and 4 are independent of each other and run side by side in threads
(polars releases the GIL while a query runs).

Inside a stage the plan is lazy. ``text.materialise`` marks the few points where a
subplan is read by several later plans and is run once (polars does not share such
subplans); each call says who reads it. ``window.neighbours`` materialises its two inputs
for the same reason. Every collect runs on the engine ``text.ENGINE`` names.
"""
