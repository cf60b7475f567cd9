"""`openkam analyze FILE`: the whole customer-base analysis of one ERP export, without a server.

reading.py turns a CSV or XLSX export into typed transactions (and the rows it had to reject),
pipeline.py runs the analytics library on them, and the output modules (jsonout, workbook,
report, console) present the result. Nothing here touches the database.
"""
