"""PDF: Word documents converted by LibreOffice through a long-running unoserver.

``converter`` talks to the converter (bounded concurrency, a time limit, one restart and retry
after a crash, never on the event loop); ``unoserver_process`` starts the embedded one;
``packet`` joins PDFs and counts their pages.
"""
