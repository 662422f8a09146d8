from weblog import human_bytes, normalize_path, percentile


def test_the_query_string_is_dropped():
    assert normalize_path("/search?q=a?b") == "/search"
    assert normalize_path("?debug=1") == ""
    assert normalize_path("/plain") == "/plain"


def test_numbers_and_long_hex_ids_are_grouped():
    assert normalize_path("/api/users/42/orders/7") == "/api/users/:id/orders/:id"
    assert normalize_path("/blobs/deadbeef/raw") == "/blobs/:hash/raw"
    assert normalize_path("/blobs/DEADBEEF01/raw") == "/blobs/:hash/raw"
    assert normalize_path("/blobs/abcdef1/raw") == "/blobs/abcdef1/raw"
    assert normalize_path("/blobs/deadbeeg/raw") == "/blobs/deadbeeg/raw"


def test_a_trailing_slash_is_dropped_but_the_root_stays():
    assert normalize_path("/api/users/") == "/api/users"
    assert normalize_path("/api/users/12/?page=2") == "/api/users/:id"
    assert normalize_path("/") == "/"
    assert normalize_path("//") == "/"


def test_without_grouping_only_the_query_string_goes():
    assert normalize_path("/api/users/42/?x=1", group_ids=False) == "/api/users/42/"
    assert normalize_path("/api/users/42", False) == "/api/users/42"


def test_percentiles_use_the_nearest_rank():
    values = [15.0, 20.0, 35.0, 40.0, 50.0]
    assert percentile(values, 0) == 15.0
    assert percentile(values, 30) == 20.0
    assert percentile(values, 40) == 20.0
    assert percentile(values, 20.1) == 20.0
    assert percentile(values, 50) == 35.0
    assert percentile(values, 100) == 50.0
    assert percentile([3.0, 1.0, 2.0], 95) == 3.0
    assert percentile(list(range(20, 0, -1)), 95) == 19
    assert percentile([], 50) is None
    assert values == [15.0, 20.0, 35.0, 40.0, 50.0]


def test_byte_counts_read_as_b_kb_or_mb():
    sizes = (0, 1023, 1024, 1536, 1048575, 1048576, 5767168, 209715200)
    assert [human_bytes(n) for n in sizes] == [
        "0 B", "1023 B", "1.0 kB", "1.5 kB", "1024.0 kB", "1.0 MB", "5.5 MB", "200.0 MB"
    ]
