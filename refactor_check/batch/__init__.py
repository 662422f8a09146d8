"""Grading a cohort: every submission folder in parallel, resumably, into one table.

``grade.grade_all`` reads top-down; ``submissions`` finds the candidates, ``state`` remembers
what was graded under which key, ``execute`` runs the gradings side by side, ``rows`` reads a
row from each report, ``ranking`` orders the rows and says on what, ``cohort_csv``,
``cohort_html`` and ``cohort_json`` write the table, ``cohort_text`` shows it on the terminal,
``gates`` holds the rows to ``--fail-under-level``, ``output`` owns the output directory and
``merge`` joins the outputs of ``batch --shard``.

This ``__init__`` imports nothing: joining shards (``merge``) and writing a cohort load the
rows and the writers without the grader behind ``grade``.
"""
