"""Value types of the ocr package: settings in, frozen readings out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Quality(StrEnum):
    """Grade of a page or document, declared from best to worst."""

    OK = "ok"
    FAX = "fax"
    POOR = "poor"
    ILLEGIBLE = "illegible"
    UNREADABLE = "unreadable"

    @property
    def rank(self) -> int:
        """Position from best (0) to worst."""
        return _ORDER.index(self)


_ORDER = tuple(Quality)


def worst(*grades: Quality) -> Quality:
    """Return the worst of the given grades (OK when none is given)."""
    return max(grades, key=lambda q: q.rank, default=Quality.OK)


@dataclass(frozen=True)
class Word:
    """One recognised word; the box is in pixels of the page as read (settings.dpi for PDFs)."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: int  # running id of the engine's line (block/par/line) on the page


@dataclass(frozen=True)
class PageReading:
    """What was read from one page and how trustworthy it is."""

    index: int
    source: str  # 'text_layer' (PDF text, no OCR) | 'ocr'
    text: str
    words: tuple[Word, ...]
    mean_confidence: float | None
    quality: Quality
    reason: str
    metrics: tuple[tuple[str, float], ...] = ()

    def metric(self, name: str) -> float | None:
        """Return one measured signal by name, None when it was not measured."""
        return dict(self.metrics).get(name)


@dataclass(frozen=True)
class DocumentReading:
    """What was read from one file.

    ``ocr_confidence`` policy: the mean word confidence over the OCR'd pages; 100.0 when
    every readable page came from a PDF text layer (exact text, nothing was guessed); None
    when nothing was read at all (unreadable file, or no word on any page).
    """

    media_type: str
    pages: tuple[PageReading, ...]
    quality: Quality
    reason: str
    ocr_confidence: float | None

    @property
    def text(self) -> str:
        """All pages' text joined with form feeds."""
        return "\f".join(p.text for p in self.pages)


@dataclass(frozen=True)
class FieldReading:
    """A value read from a document and how sure the OCR was of its words (0-100; 100 for
    a PDF text layer). Re-exported by ocr.invoice, where it belongs in the public API."""

    value: str
    confidence: float
    words: tuple[Word, ...] = ()  # the words the value was read from (boxes on their page)
    doubtful: bool = False  # a code repaired where its shape was not certain, a serial read
    # with doubt, a VAT id failing its check digits, or a date whose day/month order is open


@dataclass(frozen=True)
class OcrSettings:
    """Every knob of document reading; the defaults were calibrated on rendered invoices."""

    # resources
    # rasterisation of PDFs (rendering 200-240 dpi scans at their own resolution saved ~15 %
    # tesseract time but lost a buyer's name on a bench scan)
    dpi: int = 300
    # 1-bit pages (faxes, also inside PDFs) are resampled to square pixels at this resolution:
    # 240 read the bench faxes as well as 300 for ~25 % less tesseract time, and 204 (a fax's
    # own horizontal resolution: only its rows are stretched) as well as 240 for ~9 % less
    # (18 faxes in three languages: invoice and part numbers found in 7 against 6, all graded fax)
    fax_dpi: int = 204
    page_timeout_s: float = 60
    max_file_bytes: int = 40_000_000
    max_pages: int = 50  # a long fax is read whole; beyond this only the first pages
    max_image_pixels: int = 80_000_000  # larger images are refused as unreadable (bombs)
    max_side_px: int = 3508  # longer sides are scaled down before OCR (A4 at 300 dpi)
    tessdata_dir: str = ""  # tesseract language data; empty = the library's default
    poppler_path: str | None = None  # directory holding pdftotext/pdftoppm; None = PATH
    # text layer: a PDF page's text is used when it has enough plausible words (a scanned
    # page needs min_text_layer_words: a stamp or header on a scan is not its text)
    min_text_layer_words: int = 10
    min_text_layer_dict_ratio: float = 0.6
    scan_min_width_in: float = 5.0  # a PDF page with an image this wide is a scanned page
    # fax detection: 1-bit pages with low or anisotropic resolution
    fax_max_dpi: float = 210.0
    fax_max_aspect: float = 0.75  # dpi_y / dpi_x at or below this is a fax 'normal' mode
    fax_widths_px: tuple[int, ...] = (1728, 2048)  # ITU-T T.4 A4 and B4 scan lines (+-1 %)
    # grading of OCR'd pages
    ok_min_confidence: float = 75.0
    poor_min_confidence: float = 50.0  # below this the page is illegible
    ok_min_dict_ratio: float = 0.7
    poor_min_dict_ratio: float = 0.45  # below this the page is illegible
    min_words: int = 8  # fewer plausible words on a page: illegible
    min_ink_separation: float = 30.0  # dark/light gap (grey levels) below which there is no print
    blank_max_separation: float = 8.0  # a wordless page this flat is blank (when others have text)
    # a legible page is at best POOR when it is blurred or its print is small: on the bench
    # corpus blurred photos measure sharpness 0.5-6 (sharp photos 13-31, scans and faxes more),
    # 100 dpi pictures a median glyph of 8.5-9 px (120 dpi 10, phone photos 10-14, scans
    # 15-22); codes were misread on most pages beyond either limit
    poor_max_sharpness: float = 8.0
    poor_max_glyph_px: float = 9.5
    # preprocessing
    # Small print (median glyph < min_glyph_px: 1500x2000 phone photos of A4 pages, 11-14 px)
    # is enlarged towards target_glyph_px, at most max_enlarge times: on golden phone
    # photos never tuned on (python -m fixtures.invoice_truth --kinds phone --variants 6
    # --first-variant 20) invoices with every serial right rose from 66 % to 75 % and buyers,
    # line items and wrong reads stayed level or got better, for +0.15 s/page; 2x was worse
    # (71 %), and scans (22-26 px) are never enlarged.
    min_glyph_px: float = 16.0
    target_glyph_px: float = 24.0
    max_enlarge: float = 1.6
    rule_min_fraction: int = 30  # table rules longer than page width / this are erased
    paper_min_step: float = 40.0  # a photographed sheet is this much brighter than the desk
    flatten_min_unevenness: float = 0.12  # background brightness spread that calls for flattening
    deskew_min_deg: float = 0.4
    deskew_max_deg: float = 5.0
    osd_min_confidence: float = 2.0  # tesseract OSD orientation confidence to trust a rotation
    # a page whose text lines run across its columns (preprocess.looks_quarter_turned) is asked
    # OSD before it is read, instead of after a first reading of it sideways
    turned_min_structure: float = 0.05
    turned_min_ratio: float = 1.5
    # ... and a grey page whose lines carry more ink below their core than above (descenders
    # over ascenders: print on its head) is turned half round before it is read (bench: upright
    # photos and scans 1.1-13, upside-down photos 0.2-0.7; faxes vary too much: never)
    upside_down_max_ratio: float = 0.9
    retry_below_confidence: float = 60.0  # ask OSD whether a page scoring less is turned
    extra_passes: bool = True  # False: one tesseract pass per page, never an OSD retry
    word_min_confidence: float = 0.0  # words under this are dropped from text (kept in stats)
    # runs of words read with less confidence than this on a page graded ok are read again
    # alone, as one line (ocr.weak_runs), and replaced when that reads this much better
    weak_word_confidence: float = 30.0
    weak_reread_gain: float = 20.0
    max_weak_rereads: int = 12
    # a short word (up to lone_word_max_len characters) read with less than lone_word_confidence,
    # at least lone_word_least times the page's typical word height (confident words' median),
    # is read again cut to its print (ocr.lone_words: a table cell's '1' read 'a:' with specks above)
    lone_word_max_len: int = 3
    lone_word_confidence: float = 70.0
    lone_word_least: float = 0.6
    lone_word_gap: float = 1.0  # ... with no word of its line this close (in typical heights)
    lone_word_reference_confidence: float = 80.0
    max_lone_word_rereads: int = 20
    # columns tesseract wove together (ocr.woven_columns): a line whose stretches of print,
    # more than woven_gap word heights apart, stand woven_offset heights apart up or down, or
    # hold a box woven_tall heights tall; each side is cropped woven_reach heights up and down
    # and read alone, and replaces the old words when it holds woven_more_characters times
    # their letters and digits, each counted at its word's confidence, or when it holds
    # woven_kept_characters of them and fewer stray pieces (single letters, punctuation
    # alone, boxes woven_tall lines tall), of which the old held woven_debris
    woven_gap: float = 3.0
    woven_offset: float = 0.3
    woven_tall: float = 2.2
    woven_reach: float = 2.5
    woven_more_characters: float = 1.15
    woven_kept_characters: float = 0.9
    woven_debris: int = 2
    woven_sure_word: float = 80.0  # ... and it keeps every word the old read with this confidence
    max_woven_rereads: int = 4
    # print no word covers (ocr.missed_lines): bands of at least missed_min_glyphs glyph-sized
    # blobs, joined across gaps of missed_gap x the glyph size, are read as lines and kept
    # when their words average missed_min_confidence; a blob up to missed_max_blob_glyphs
    # glyphs wide is print too (bold glyphs that touch, 'recht' in 'Utrecht')
    missed_min_glyphs: int = 4
    missed_max_blob_glyphs: float = 12.0
    missed_gap: float = 1.2
    missed_min_confidence: float = 70.0
    max_missed_lines: int = 6
    # words that lost a glyph at an edge (ocr.lost_glyphs): a blob at least lost_glyph_min_height
    # x the word's height tall, within lost_glyph_gap x its height of the word's edge (looked for
    # up to lost_glyph_reach x its height away) and under no word of its line, or more glyphs in
    # the box of a word read under lost_glyph_inside_below than it has symbols; the word is read
    # again with it and replaced when the new reading holds the old one and more, read with
    # lost_glyph_min_confidence (or lost_glyph_garbled_gain more than a garbled old reading)
    lost_glyph_min_height: float = 0.6
    lost_glyph_min_width: float = 0.25  # ... reaching this x its height out of the word's box
    lost_glyph_max_fill: float = 0.85  # ... and no more of its box inked (a shaded cell is solid)
    lost_glyph_gap: float = 0.3
    lost_glyph_reach: float = 1.2
    lost_glyph_inside_below: float = 85.0
    lost_glyph_min_symbols: int = 2
    lost_glyph_min_px: int = 8
    lost_glyph_min_confidence: float = 75.0
    lost_glyph_garbled_gain: float = 30.0
    max_lost_glyph_rereads: int = 24
    # a word this much inside a bigger word of another line read with at least
    # nested_outer_min_confidence, and a piece of it, is dropped (ocr.nested_words)
    nested_min_share: float = 0.6
    nested_outer_min_confidence: float = 60.0
    # two confident words on one row but two lines, the second starting within this share of
    # their height after the first ends, whose letters overlap, are one word cut in two
    split_word_max_gap: float = 0.3
    # second pass over code-like words (ocr.code_pass): what a code is, and how much wider
    # than the word's typical glyph a round glyph must be to stay the letter O (real O's are
    # 1.25-1.4 x a digit in proportional fonts; measured zeros on the bench corpus up to 1.2)
    code_min_length: int = 5
    code_min_digits: int = 1
    code_letter_width: float = 1.22  # digits: <= 1.14 x the typical glyph (p95 1.1)
    code_dollar_height: float = 1.08  # a '$' no taller than this x the word's glyphs is an S
    code_bar_fill: float = 0.8  # a "1" whose middle is this wide against its widest rows is an I
    # a glyph read 1 or I whose top stands left of its stem by code_flag_one of its height
    # or more (ocr.glyphs.Glyph.flag) is a 1, by at most code_flag_i an I (golden invoices:
    # 1's 0.02-0.12, I's -0.01 to 0.012); in between the reading stands
    code_flag_one: float = 0.022
    code_flag_i: float = 0.012
    code_stem_middle: tuple[float, float] = (0.3, 0.7)  # where an I's stem stands across it
    # a B or 8 of a code by how far its left edge strays from a straight line (share of its
    # width, ocr.glyphs.left_spread): a B at most the first, an 8 at least the second (golden
    # invoices: B's 0-0.13, 8's 0.08-0.24; between them the reading stands)
    code_b8_spread: tuple[float, float] = (0.02, 0.14)
    # a glyph read D whose left edge strays at most this far from a straight line stands on
    # a stem: a D, no zero (golden phone invoices: D's 0-0.07, round O's and zeros 0.13-0.21)
    code_d_spread: float = 0.1
    code_serif_i: float = 0.6  # ... or, beside a letter, whose top right holds this much ink
    code_serifs_both: float = 0.45  # ... or whose top left and top right both hold this much
    code_serifs_both_sure: float = 0.6  # ... both this much: an I even among digits
    code_serifs_min_px: float = 18.0  # ... on glyphs this tall (its top band 3 rows or more)
    code_stem_left: float = 0.35  # a 1/L whose middle ink lies left of this across it is an L
    code_min_stem_px: float = 10.0  # ... on glyphs at least this tall
    code_stem_max_width: float = 1.3  # ... and at most this many times the code's typical glyph width
    # look-alikes in a doubtful code word are compared with the same symbols in the page's
    # confident code words (ocr.code_pass.settle_twins): the mean correlation of the best few
    # of each twin's glyphs must favour the other twin by this margin (bench phone pages:
    # right readings kept 0.00-0.19 over their twin, the wrong one lost by 0.11)
    code_twins: tuple[str, ...] = ("5S", "8B", "2Z")
    code_template_confidence: float = 85.0
    code_template_top: int = 3
    code_template_count: int = 2  # each twin needs this many confident glyphs on the page
    code_template_margin: float = 0.05
    code_template_min: float = 0.8  # ... and look like them at least this much (same font)
    code_template_size: float = 0.2  # compared only with glyphs within 20 % of its height
    # ... but first each look-alike is read alone (ocr.code_pass.read_twins): one character,
    # itself or its twin, psm 10, the glyph enlarged to about code_glyph_read_px tall; the twin
    # wins at this confidence (bench: right flips read 96-97, the one wrong flip 65)
    code_glyph_lang: str = "eng"
    code_glyph_confidence: float = 80.0
    code_glyph_read_px: float = 30.0
    code_glyph_margin_px: int = 2
    code_glyph_pad_px: int = 6
    # enclosed counters (ocr.code_pass.by_shape): an S/5 with a counter is a 9, 6 or 8; a
    # round glyph whose counter is below code_small_counter of its height and off its middle
    # is a 9 or 6 (O, 0: 0.64-0.82; 9, 6: 0.32-0.50); on glyphs at least code_counter_min_px
    code_small_counter: float = 0.56
    code_counter_off_middle: float = 0.05
    code_counter_min_px: float = 9.0
    # a glyph whose top stands above its code's glyphs' by code_glyph_rise of their height
    # carries something else (the end of a table rule): its counters, strokes and width
    # are not measured
    code_glyph_rise: float = 0.2
    # a G, E or 6 whose counter holds a dot or is split in two by it, in an outline widest at
    # its middle (its middle rows at least code_zero_waist of its widest: no 8's or B's
    # waist), is a dotted zero (phone photos: dotted zeros 1.00, 8s 0.67-0.86, Bs 0.81-0.90)
    code_zero_waist: float = 0.97
    code_min_glyph_px: float = 14.0  # glyphs smaller than this are too coarse for that measure
    # a code whose 1, I or L the glyph measures changed keeps at most this confidence (below
    # what extraction trusts: ocr.codes.CodeSettings.doubt_below_confidence), so that a
    # measure that misjudged a phone photo's '1' ('PFC4S6J1' as 'PFC4S6JI') leaves it in doubt
    code_stroke_confidence: float = 80.0
    # ... and those measures are taken only in codes with this many digits: a serif L (Courier)
    # has its stem off its left edge like a 1, and a word with fewer digits is mostly letters
    code_stroke_min_digits: int = 2
    # a glyph read 'I' is a 1 when its top holds a flag on the left and nothing on the right
    # (phone photos: a 1's top right 0-0.25 and top left 0.5-1 in sans and monospaced print,
    # an I's top right 0.5-1 in every face), and a J when its stem stands right and its top
    # left is empty (J stems 0.65-0.88 across, I stems 0.38-0.57)
    code_flag_top_left: float = 0.5
    code_flag_top_right: float = 0.25
    code_j_stem: float = 0.65
    code_j_top_left: float = 0.35
    # ... measured only on glyphs this wide against the code's median glyph (flagged 1's and
    # J's 0.45-1.0, a sans I 0.18-0.38, too narrow for its top corners to mean anything)
    code_stroke_min_width: float = 0.5
    # an S whose top-left corner is at least this dark is a 5, a 5 at most this light an S
    # (phone photos, grey levels: 5's 0.47-0.84, S's 0.34-0.70); measured on glyphs 13-17 px
    # tall: in larger print a 5's thin stem darkens its corner less (0.70 at 20 px), and the
    # glyph read alone (read_twins) decides there
    code_s5_corner: tuple[float, float] = (0.45, 0.75)
    code_j_min_width: float = 0.35  # a sans J is narrow too (0.42 of the digits at 20 px)
    # a round glyph (O or 0) of a code against the page's sure zeros (ocr.code_pass.settle_rounds):
    # zeros of numbers read with code_zero_ref_confidence or more, within code_template_size of
    # its height, the code_zero_ref_nearest closest, at least code_zero_ref_count of them. A
    # zero's dot or slash decides where the font marks its zeros (code_zero_marked_share of them
    # marked: an unmarked glyph with an empty centre is an O); else width for height, read from
    # the grey levels of the glyph's edges to a fraction of a pixel: on bench scans and photos
    # (DejaVu Sans and Serif, glyphs 11-40 px tall) an O is 1.23-1.50 x as wide as the zeros, a
    # zero 0.83-1.09 x (p95 1.08). Monospaced print ties them; there only the dot decides.
    code_zero_ref_confidence: float = 80.0
    code_zero_ref_count: int = 3
    code_zero_ref_nearest: int = 6  # the zeros of the numbers nearest the code (its table row)
    code_zero_row_weight: float = 4.0  # nearest: across plus this x up or down
    code_zero_marked_share: float = 0.8
    code_round_empty_centre: float = 0.35  # ... and its centre no darker than this (0 paper, 1 ink)
    # On phone photos a dot blurs into the ring, so the contours no longer count it: a zero
    # whose centre is at least code_zero_dot_centre dark counts as marked (dotted DejaVu Sans
    # Mono zeros: 0.67-0.95; plain zeros 0.04-0.54; O's in dotted print 0.26-0.48), and a
    # glyph whose centre is at most code_round_dot_share of the zeros' (median) is the O.
    code_zero_dot_centre: float = 0.6
    # a round glyph reaching below the code's other glyphs by code_q_tail of their height (its
    # top level with theirs, within code_q_top_slack) is a Q read as O or 0 (phone photos: Q's
    # 0.07-0.21, most 0.14 and more; zeros and O's at most 0.077)
    code_q_tail: float = 0.12
    code_q_top_slack: float = 0.05
    code_round_dot_share: float = 0.65
    code_zero_plain_share: float = 0.2  # widths decide only where at most this share is marked
    code_round_letter_ratio: float = 1.2  # at least this x the zeros' width: the letter O
    code_round_zero_ratio: float = 1.12  # at most this: a zero
    code_round_min_px: float = 10.0  # widths compared only on glyphs at least this tall
    # a round glyph among digits (no letter beside it) is the letter O only when it is wide
    # against the page's zeros and also against its own word's digits (2-9: a 1's ink is narrow)
    # by this much: a heading's bold invoice number ('INV-01658') is wide against the table's
    # zeros, not against its own digits (golden scans and phone photos: zeros 0.85-1.15 x
    # their word's digits, serials' O's 1.27 and more, one 1.05)
    code_round_own_letter_ratio: float = 1.22
    # ... or by code_round_own_some_ratio where the page's nearest zeros make it wider than a
    # zero by code_round_far_letter_ratio (golden invoices: no zero of 838 above 1.15 x the
    # page's zeros; O's beside digits in serif print 1.30-1.34 x, 1.15-1.18 x their digits)
    code_round_own_some_ratio: float = 1.1
    code_round_far_letter_ratio: float = 1.25
    languages_always: tuple[str, ...] = ("eng",)


class UnreadableFile(Exception):  # noqa: N818 - internal signal, never escapes read_document
    """Internal: the file cannot be opened as a document (becomes an UNREADABLE reading)."""
