"""A morning of gateway traffic, with the kinds of lines the archive holds."""

LOG = """\
# gateway-7 access log, rotated 2024-03-04 09:00:00
2024-03-04 09:00:05 10.0.0.7 GET /api/users/42 200 12ms 5321
2024-03-04 09:00:09 10.0.0.8 GET /api/users/17?expand=1 200 30ms 6100
2024-03-04 09:01:15 10.0.0.7 post /api/orders HTTP/201 240ms 812
2024-03-04 09:02:00 10.0.0.9 GET /api/users/42/ 500 1.2s 120
2024-03-04 09:02:30 10.0.0.7 GET /api/export/9f86d081884c7d65 200 3.5s 2097152

2024-03-04 09:03:45 10.0.0.8 DELETE /api/orders/77 404 8ms -
2024-03-04 09:04:00 10.0.0.12 GET /health 200 - 2
this line is not a log line
2024-03-04 09:05:59 10.0.0.7 GET /api/users/5 503 1000ms 0
2024-03-04 09:07:30 10.0.0.8 GET /api/users/8 200 14ms 4980
2024-03-04 09:08:00 10.0.0.9 PUT /api/orders/77 302 55ms 0
2024-03-04 09:10:05 10.0.0.7 GET /api/users/42 200 16ms 5321
"""
