"""What the search page says when it cannot run a request, in Bahasa Indonesia.

The errors carry a stable code and the values they name (indexer.query.UserError); their str() is the
English the CLI and the JSON API show. The page's readers get these sentences instead, so a journalist
who mistyped a date reads why in her own language. A code without a sentence here falls back to English
(tests/search_web/test_messages.py keeps every code translated).
"""

from __future__ import annotations

from indexer.query import UserError

BAHASA = {
    # the query parser (indexer/query.py)
    "query_too_long": "Kata pencarian terlalu panjang: {length} karakter, paling banyak {max}.",
    "query_no_words": "Kata pencarian tidak berisi kata yang bisa dicari.",
    "query_only_excludes": "Pencarian hanya berisi kata yang dikecualikan (-kata). Tambahkan kata yang ingin dicari.",
    # the search request (indexer/search.py)
    "sort_unknown": "Urutan harus salah satu dari {choices} (bukan “{value}”).",
    "per_page_range": "Jumlah hasil per halaman harus antara 1 dan {max}.",
    "page_range": "Nomor halaman harus 1 atau lebih.",
    "too_deep": "Hasil setelah {max} yang pertama tidak ditampilkan. Persempit pencarian dengan kata atau "
                "filter tambahan.",
    "dates_reversed": "Tanggal “Dari” jatuh sesudah tanggal “Sampai”.",
    "timeline_too_long": "Grafik dengan {buckets} batang terlalu panjang (paling banyak {max}); pilih satuan "
                         "waktu yang lebih panjang atau rentang tanggal yang lebih pendek.",
    # the URL's parameters (search_web/params.py)
    "query_required": "Kata pencarian wajib diisi: tuliskan kata yang dicari.",
    "date_format": "{label} harus tanggal berformat TTTT-BB-HH (misalnya 2025-08-25), bukan “{value}”.",
    "date_range": "{label} harus tanggal antara tahun {low} dan {high}, bukan “{value}”.",
    "not_integer": "{label} harus bilangan bulat, bukan “{value}”.",
    "int_range": "{label} harus antara {low} dan {high}.",
    "not_one_of": "{label} harus salah satu dari {choices} (bukan “{value}”).",
    "not_boolean": "{label} harus true atau false (ya atau tidak), bukan “{value}”.",
}

# URL parameters as the page's form names them; the parameter itself in brackets, as it shows in the URL
LABELS = {
    "q": "Kata pencarian (q)",
    "from": "Tanggal “Dari” (from)",
    "to": "Tanggal “Sampai” (to)",
    "page": "Nomor halaman (page)",
    "per_page": "Jumlah hasil per halaman (per_page)",
    "sort": "Urutan (sort)",
    "collapse": "Pengelompokan berita (collapse)",
}


def bahasa(error: UserError) -> str:
    """The error as the page shows it: its code's sentence in Bahasa Indonesia, filled with its values.

    The values may be what a user typed; the caller's template escapes the sentence like any text."""
    template = BAHASA.get(error.code)
    if template is None:
        return str(error)
    params = dict(error.params)
    if "name" in params:
        params["label"] = LABELS.get(str(params["name"]), f"Parameter “{params['name']}”")
    try:
        return template.format(**params)
    except (KeyError, IndexError):  # a sentence naming a value this error lacks: English rather than a 500
        return str(error)
