"""The engines that read and aggregate order lines: DuckDB (embedded, the default) and Apache Spark.

Both run the same SQL text (see :mod:`tagkit.io.sales`); an engine only knows how to read files into
a view named ``tk_orders`` (every column as written, plus ``_tk_file`` and, where the engine can tell,
``_tk_record``), how to quote a name, how to parse a timestamp with a format, and how to turn a
query into a table or a pandas DataFrame.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from tagkit.errors import InputError, ParameterError
from tagkit.io._files import detect_encoding, file_kind, read_table, sniff_delimiter

MALFORMED = "malformed line"
_REJECT_LABELS = {
    "TOO MANY COLUMNS": "too many columns",
    "MISSING COLUMNS": "too few columns",
    "UNQUOTED VALUE": "malformed quoting",
    "INVALID UNICODE": "invalid characters",
}
_JAVA_CHARSETS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "cp1252": "windows-1252",
    "latin-1": "ISO-8859-1",
    "iso8859-1": "ISO-8859-1",
    "ascii": "US-ASCII",
}
# the charsets Spark 4's CSV reader takes without spark.sql.legacy.javaCharsets
_SPARK_CHARSETS = {"iso-8859-1", "us-ascii", "utf-16", "utf-16be", "utf-16le", "utf-32", "utf-8"}


def java_format(strftime: str) -> str:
    """A strftime format ('%Y/%m/%d') as a Java date-time pattern ('yyyy/MM/dd') for Spark."""
    codes = {
        "Y": "yyyy",
        "y": "yy",
        "m": "MM",
        "d": "dd",
        "H": "HH",
        "M": "mm",
        "S": "ss",
        "f": "SSSSSS",
        "b": "MMM",
        "B": "MMMM",
        "p": "a",
        "I": "hh",
    }
    out, literal = [], []
    i = 0
    while i < len(strftime):
        if strftime[i] == "%" and i + 1 < len(strftime):
            if literal:
                out.append("'" + "".join(literal) + "'")
                literal = []
            code = strftime[i + 1]
            if code not in codes:
                raise ParameterError(
                    f"The date format {strftime!r} uses %{code}, which the Spark engine cannot read; "
                    f"use %Y %m %d %H %M %S."
                )
            out.append(codes[code])
            i += 2
        else:
            ch = strftime[i]
            if ch.isalpha() or not ch.isascii():
                literal.append(ch)
            else:
                if literal:
                    out.append("'" + "".join(literal) + "'")
                    literal = []
                out.append(ch)
            i += 1
    if literal:
        out.append("'" + "".join(literal) + "'")
    return "".join(out)


def _lit(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def numeric(engine_type: str) -> bool:
    t = engine_type.upper()
    return any(
        t.startswith(n)
        for n in (
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "INT",
            "BIGINT",
            "HUGEINT",
            "UTINYINT",
            "USMALLINT",
            "UINTEGER",
            "UBIGINT",
            "FLOAT",
            "DOUBLE",
            "DECIMAL",
            "REAL",
            "LONG",
            "SHORT",
            "BYTE",
        )
    )


def temporal(engine_type: str) -> bool:
    t = engine_type.upper()
    return "TIMESTAMP" in t or t == "DATE"


class DuckDBEngine:
    """The embedded engine: DuckDB with a memory limit and its own spill folder."""

    name = "duckdb"
    corrupt = None  # DuckDB keeps lines it cannot split out of the view, in its rejects table

    def __init__(self, *, memory_limit: str = "2GB", threads: int | None = None, progress: bool = False, sheet=None):
        import duckdb

        self.tmp = Path(tempfile.mkdtemp(prefix="tagkit-duckdb-"))
        try:
            self.con = duckdb.connect(
                config={"memory_limit": str(memory_limit), "temp_directory": str(self.tmp / "spill")}
            )
        except duckdb.Error as err:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise InputError(
                f"memory_limit {memory_limit!r} is not a memory size DuckDB takes; write it like '2GB' or "
                f"'512MB' ({str(err).splitlines()[0]})."
            ) from None
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if progress:  # DuckDB draws its bar after two seconds of work
            self.con.execute("SET enable_progress_bar = true")
        self.readable: dict[Path, Path] = {}
        self.delimiter: str | None = None
        self.files: list[Path] = []
        self.encoding: str | None = None
        self.sheet = sheet
        self.longest_line = 0  # bytes: lines longer than DuckDB's default need a larger max_line_size

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.con.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- SQL dialect ------------------------------------------------------------------------------
    @staticmethod
    def quote(name: str) -> str:
        return '"' + str(name).replace('"', '""') + '"'

    @staticmethod
    def parse_timestamp(text_sql: str, formats: list[str]) -> list[str]:
        return [f"try_strptime({text_sql}, {_lit(f)})" for f in formats]

    # --- reading ------------------------------------------------------------------------------------
    def read(self, files: list[Path], encoding: str | None) -> None:
        """Register every order line of the files as the view tk_orders."""
        import duckdb

        self.files, self.encoding = files, encoding
        if file_kind(files[0]) == "excel":  # small shops' exports: read by tagkit, every cell as text
            self.con.register("tk_excel_rows", excel_rows(files, self.sheet))
        try:
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW tk_orders AS SELECT * FROM "
                f"{self._relation(files, rejects='tagkit_rejects')}"
            )
            self.columns()
        except duckdb.Error as err:
            first = str(err).splitlines()[0]
            raise InputError(
                f"{', '.join(str(f) for f in files)}: cannot be read as a table of order lines "
                f"({first}). Check that it is a CSV or Parquet file with a header row."
            ) from err

    def _relation(self, files: list[Path], *, rejects: str | None = None) -> str:
        if file_kind(files[0]) == "excel":
            return "tk_excel_rows"
        if file_kind(files[0]) == "parquet":
            listed = ", ".join(_lit(f) for f in files)
            return (
                f"(SELECT * EXCLUDE (filename, file_row_number), filename AS _tk_file, file_row_number + 1 AS "
                f"_tk_record FROM read_parquet([{listed}], filename = true, file_row_number = true, "
                "union_by_name = true))"
            )
        readable = [self._readable(f) for f in files]
        listed = ", ".join(_lit(r) for r in readable)
        size = (
            f", max_line_size = {self.longest_line + 1024}, buffer_size = {2 * (self.longest_line + 1024)}"
            if self.longest_line + 1024 > DUCKDB_LINE_SIZE
            else ""
        )
        errors = (
            f"store_rejects = true, rejects_table = {_lit(rejects)}, rejects_scan = {_lit(rejects + '_scan')}"
            if rejects
            else "ignore_errors = true"
        )
        originals = " ".join(f"WHEN {_lit(r)} THEN {_lit(f)}" for f, r in zip(files, readable))
        return (
            f"(SELECT * EXCLUDE (filename), CASE filename {originals} ELSE filename END AS _tk_file "
            f"FROM read_csv([{listed}], all_varchar = true, header = true, delim = {_lit(self.delimiter)}, "
            f"quote = '\"', escape = '\"', filename = true, {errors}{size}))"
        )

    def _readable(self, f: Path) -> Path:
        """A UTF-8 file DuckDB reads as written: the file itself, or a copy when it is in another encoding or
        holds carriage returns without a line feed (DuckDB breaks a record at one even inside quotes)."""
        if f not in self.readable:
            enc = self.encoding or detect_encoding(f)
            utf8 = codecs.lookup(enc).name in ("utf-8", "utf-8-sig")
            lone, longest, at = line_scan(f) if utf8 else (True, 0, 0)
            if utf8 and not lone:
                self.readable[f] = f
            else:
                self.readable[f] = utf8_copy(f, enc, self.tmp / f"{len(self.readable)}.utf8.csv")
                _, longest, at = line_scan(self.readable[f])
            if longest > LONGEST_LINE:
                raise InputError(
                    f"{f}: line {at:,} is {longest / 2**20:,.0f} MB long; tagkit reads lines of up to "
                    f"{LONGEST_LINE // 2**20} MB. Is it a CSV file of order lines? Remove or fix that line."
                )
            self.longest_line = max(self.longest_line, longest)
            if self.delimiter is None:
                self.delimiter = csv_delimiter(self.readable[f], f)
        return self.readable[f]

    def columns(self) -> dict[str, str]:
        rows = self.con.execute("DESCRIBE SELECT * FROM tk_orders").fetchall()
        return {r[0]: r[1] for r in rows if not r[0].startswith("_tk_")}

    # --- running ------------------------------------------------------------------------------------
    def table(self, name: str, query: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def frame(self, query: str) -> pd.DataFrame:
        return self.con.execute(query).df()

    def local(self, name: str, query: str):
        """The query's rows as table ``name`` of a local DuckDB connection, returned: here, this one."""
        self.table(name, query)
        return self.con

    def malformed(self) -> pd.DataFrame:
        """The lines DuckDB could not split into the header's columns: file, row (the line), reason, raw_line."""
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "tagkit_rejects" not in tables or file_kind(self.files[0]) != "csv":
            return no_rejects()
        frame = self.con.execute("""
            SELECT s.file_path AS file, e.line AS row, min(e.error_type) AS error, min(e.csv_line) AS raw_line
            FROM tagkit_rejects e JOIN tagkit_rejects_scan s USING (scan_id, file_id)
            GROUP BY ALL ORDER BY file, row""").df()
        originals = {str(r): str(f) for f, r in self.readable.items()}
        frame["file"] = frame["file"].map(lambda p: originals.get(p, p))
        frame["reason"] = f"{MALFORMED}: " + frame["error"].map(_REJECT_LABELS).fillna(frame["error"].str.lower())
        return frame[["file", "row", "reason", "raw_line"]].astype({"row": "int64"})

    def set_aside_rows(self, typed_sql, reason_sql: str, originals: str, malformed: pd.DataFrame) -> str:
        """A query of every set-aside row with its file and row: the line in a CSV file (rows DuckDB rejected
        shift later rows), the record number in Parquet."""
        keep = f"({reason_sql}) IS NOT NULL"
        if file_kind(self.files[0]) != "csv":  # Parquet records, Excel rows
            return (
                f"SELECT _tk_file AS file, _tk_record AS row, {reason_sql} AS reason, {originals} "
                f"FROM ({typed_sql(self._relation(self.files))}) WHERE {keep}"
            )
        shifts = malformed[["file", "row"]].sort_values(["file", "row"]).reset_index(drop=True)
        shifts["shift"] = shifts.groupby("file").cumcount() + 1
        # good records before each rejected line: its line, less the header and earlier rejects
        shifts["good_before"] = shifts["row"] - 1 - shifts["shift"]
        # adjacent rejected lines share good_before: the later (larger) shift applies after both
        shifts = shifts.groupby(["file", "good_before"], as_index=False).agg(row=("row", "max"), shift=("shift", "max"))
        self.register("reject_shifts", shifts.astype({"row": "int64", "shift": "int64", "good_before": "int64"}))
        parts = [
            f"""
            SELECT n._tk_file AS file, n._tk_k + 1 + coalesce(s.shift, 0) AS row, {reason_sql} AS reason, {originals}
            FROM (SELECT row_number() OVER () AS _tk_k, * FROM ({typed_sql(self._relation([f]))})) n
            ASOF LEFT JOIN reject_shifts s ON n._tk_file = s.file AND n._tk_k > s.good_before
            WHERE {keep}"""
            for f in self.files
        ]
        return " UNION ALL ".join(f"({p})" for p in parts)

    def write_csv(self, query: str, path: Path) -> None:
        self.con.execute(f"COPY (SELECT * FROM ({query}) ORDER BY file, row) TO {_lit(path)} (FORMAT CSV, HEADER)")


class SparkEngine:
    """Apache Spark: the order lines are read and aggregated by the cluster (or local[*] on one machine);
    only the per-product tables come back to the driver."""

    name = "spark"

    def __init__(self, spark=None, *, sheet=None):
        self.sheet = sheet
        self.spark = spark or spark_session()
        # one time zone on both engines: timestamps without a zone are read as written
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        # parse every column of every CSV line, or a line with extra fields would not be seen as malformed
        self.spark.conf.set("spark.sql.csv.parser.columnPruning.enabled", "false")
        self.tmp = Path(tempfile.mkdtemp(prefix="tagkit-spark-"))
        self.views: list[str] = []
        self.files: list[Path] = []
        self.header: list[str] = []
        self.corrupt: str | None = None  # the column holding a line Spark could not split
        self.scan = None  # the files as read, before any view: where Spark's _metadata columns are
        self.local_con = None  # DuckDB, for the small per-product tables (see local)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.local_con is not None:
            self.local_con.close()
        for view in self.views:
            self.spark.catalog.dropTempView(view)
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def quote(name: str) -> str:
        return "`" + str(name).replace("`", "``") + "`"

    @staticmethod
    def parse_timestamp(text_sql: str, formats: list[str]) -> list[str]:
        return [f"try_to_timestamp({text_sql}, {_lit(java_format(f))})" for f in formats]

    def read(self, files: list[Path], encoding: str | None) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql.types import StringType, StructField, StructType

        self.files = files
        # Spark reads paths as Hadoop globs: a local file named 'orders [2025].csv' is that file
        paths = [str(f) if is_uri(f) else re.sub(r"([\[\]{}*?])", r"\\\1", str(f)) for f in files]
        if file_kind(files[0]) == "excel":
            from pyspark.sql.types import LongType

            rows = excel_rows(files, self.sheet)
            schema = StructType([StructField(c, LongType() if c == "_tk_record" else StringType()) for c in rows])
            frame = self.spark.createDataFrame(_plain(rows), schema)
            self.corrupt = None
        elif file_kind(files[0]) == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            # Spark refuses nanosecond timestamps (pandas writes them): read them as numbers and convert
            schema = self.spark.read.parquet(paths[0]).schema if is_uri(files[0]) else pq.read_schema(files[0])
            nanos = (
                []
                if is_uri(files[0])
                else [f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.unit == "ns"]
            )
            if nanos:
                self.spark.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
            frame = (
                self.spark.read.parquet(*paths)
                .withColumn("_tk_file", F.col("_metadata.file_path"))
                .withColumn("_tk_record", F.col("_metadata.row_index") + 1)
            )
            for column in nanos:
                frame = frame.withColumn(column, F.timestamp_micros(F.floor(F.col(column) / 1000).cast("long")))
            self.corrupt = None
        else:
            self.corrupt = "_tk_corrupt"
            if is_uri(files[0]):  # on shared storage: UTF-8 and commas, the header as Spark reads it
                enc, delimiter, multiline = encoding or "utf-8", ",", False  # see docs/spark.md
                self.header = self.spark.read.option("header", True).csv(paths[0]).columns
            else:
                enc = encoding or detect_encoding(files[0])
                delimiter = csv_delimiter(files[0], files[0], enc)
                self.header = csv_header(files[0], enc, delimiter)
                # Spark splits a file at line breaks to read it in parallel, which cuts a quoted value spanning
                # lines in two; such files are read whole, as DuckDB reads them
                multiline = any(has_quoted_line_break(f) for f in files)
            charset = _JAVA_CHARSETS.get(codecs.lookup(enc).name, enc)
            if charset.lower() not in _SPARK_CHARSETS:  # GB18030, Shift_JIS, windows-1252...: Java's own
                self.spark.conf.set("spark.sql.legacy.javaCharsets", "true")
            schema = StructType(
                [StructField(c, StringType()) for c in self.header] + [StructField("_tk_corrupt", StringType())]
            )
            frame = (
                self.spark.read.option("header", True)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", "_tk_corrupt")
                .option("quote", '"')
                .option("escape", '"')
                .option("sep", delimiter)
                .option("multiLine", multiline)
                .option("encoding", charset)
                .schema(schema)
                .csv(paths)
                .withColumn("_tk_file", F.col("_metadata.file_path"))
                .withColumn("_tk_record", F.lit(None).cast("bigint"))
            )
        self.scan = frame
        frame.createOrReplaceTempView("tk_orders")
        self.views.append("tk_orders")

    def _number_csv_rows(self) -> str:
        """A view of tk_orders whose _tk_record is each CSV row's number in its file (the header is row 1).

        Spark reads a file in blocks, each in one task, rows in file order: a row's number is the rows
        of the file's earlier blocks plus its place in its block. One more pass over the files counts
        the rows per block; monotonically_increasing_id gives the place (consecutive within a task)."""
        from pyspark.sql import functions as F

        if "tk_orders_rows" in self.views:
            return "tk_orders_rows"
        numbered = (
            self.scan.drop("_tk_record")
            .withColumn("_tk_block", F.col("_metadata.file_block_start"))
            .withColumn("_tk_place", F.monotonically_increasing_id())
        )
        numbered.createOrReplaceTempView("tk_orders_numbered")
        self.views.append("tk_orders_numbered")
        blocks = self.frame(
            "SELECT _tk_file AS _tk_block_file, _tk_block AS _tk_block_start, "
            "min(_tk_place) AS _tk_first_place, count(*) AS _tk_block_rows "
            "FROM tk_orders_numbered GROUP BY _tk_file, _tk_block"
        )
        blocks = blocks.sort_values(["_tk_block_file", "_tk_block_start"], kind="stable")
        blocks["_tk_rows_before"] = (
            blocks.groupby("_tk_block_file")["_tk_block_rows"].cumsum() - blocks["_tk_block_rows"]
        )
        self.register("tk_blocks", blocks.drop(columns="_tk_block_rows"))
        rows = (
            numbered.join(
                F.broadcast(self.spark.table("tk_blocks")),
                (numbered["_tk_file"] == F.col("_tk_block_file")) & (numbered["_tk_block"] == F.col("_tk_block_start")),
            )
            .withColumn("_tk_record", F.col("_tk_place") - F.col("_tk_first_place") + F.col("_tk_rows_before") + 2)
            .drop("_tk_block_file", "_tk_block_start", "_tk_first_place", "_tk_rows_before", "_tk_block", "_tk_place")
        )
        rows.createOrReplaceTempView("tk_orders_rows")
        self.views.append("tk_orders_rows")
        return "tk_orders_rows"

    def columns(self) -> dict[str, str]:
        fields = self.spark.table("tk_orders").schema.fields
        return {f.name: f.dataType.simpleString() for f in fields if not f.name.startswith("_tk_")}

    def table(self, name: str, query: str) -> None:
        frame = self.spark.sql(query).cache()
        frame.count()
        frame.createOrReplaceTempView(name)
        self.views.append(name)

    def register(self, name: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            from pyspark.sql.types import LongType, StringType, StructField, StructType

            types = {c: (LongType() if pd.api.types.is_integer_dtype(frame[c]) else StringType()) for c in frame}
            spark_frame = self.spark.createDataFrame([], StructType([StructField(c, t) for c, t in types.items()]))
        else:
            spark_frame = self.spark.createDataFrame(_plain(frame))
        spark_frame.createOrReplaceTempView(name)
        self.views.append(name)

    def frame(self, query: str) -> pd.DataFrame:
        rows = self.spark.sql(query).collect()
        columns = self.spark.sql(query).columns if not rows else list(rows[0].asDict())
        return pd.DataFrame([r.asDict() for r in rows], columns=columns)

    def local(self, name: str, query: str):
        """The query's rows (per product tables, small) brought to the driver as table ``name`` of a local DuckDB
        connection, returned; it closes with the engine."""
        import duckdb

        self.local_con = duckdb.connect()
        self.local_con.register(name, self.frame(query))
        return self.local_con

    def malformed(self) -> pd.DataFrame:
        """Spark keeps a line it could not split in _tk_corrupt; tell too many from too few columns here."""
        if file_kind(self.files[0]) != "csv":
            return no_rejects()

        def corrupt_lines(view: str) -> str:  # Spark refuses a query of the corrupt-record column alone
            return (
                f"SELECT _tk_file AS file, _tk_record AS row, _tk_corrupt AS raw_line, "
                f"{self.quote(self.header[0])} FROM {view} WHERE _tk_corrupt IS NOT NULL"
            )

        if self.frame(corrupt_lines("tk_orders")).empty:
            return no_rejects()
        lines = self.frame(corrupt_lines(self._number_csv_rows()))  # numbering costs a pass: only when needed
        width = len(self.header)
        counts = [len(next(csv.reader([line]), [])) for line in lines["raw_line"]]
        lines["reason"] = [f"{MALFORMED}: " + ("too many columns" if n > width else "too few columns") for n in counts]
        lines["file"] = lines["file"].map(_local_path)
        return lines[["file", "row", "reason", "raw_line"]]

    def set_aside_rows(self, typed_sql, reason_sql: str, originals: str, malformed: pd.DataFrame) -> str:
        """Every set-aside row with its file and row: the record number in Parquet, the row of a CSV."""
        view = "tk_orders" if self.corrupt is None else self._number_csv_rows()
        return (
            f"SELECT _tk_file AS file, _tk_record AS row, {reason_sql} AS reason, {originals} "
            f"FROM ({typed_sql(view)}) WHERE ({reason_sql}) IS NOT NULL"
        )

    def write_csv(self, query: str, path: Path) -> None:
        frame = self.frame(query)
        frame["file"] = frame["file"].map(_local_path)
        # then every column: rows of one file and row (a malformed line and its parts) in a fixed order
        frame.sort_values(list(frame.columns), kind="stable").to_csv(path, index=False)


def _local_path(uri) -> str:
    """A file path from the URI Spark reports ('file:///data/x.csv', percent-encoded) as the user wrote it."""
    from urllib.parse import unquote, urlparse

    text = str(uri)
    return unquote(urlparse(text).path) if text.startswith("file:") else text


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns Spark can take from pandas 3: plain Python strings, numbers and timestamps."""
    out = frame.copy()
    for column in out:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_datetime64_any_dtype(out[column])):
            out[column] = out[column].astype(object)
    return out


def is_uri(path) -> bool:
    """A path Spark reads itself (s3a://, hdfs://, abfss://, gs://, file://...), not checked on this machine."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", str(path)))


_SPARK_LOG = Path(__file__).resolve().parent.parent / "templates" / "spark-log4j2.properties"


def spark_session():
    """The Spark session to use: the active one; a Spark Connect session when SPARK_REMOTE is set; else
    a new one from the machine's Spark settings (spark-defaults.conf, PYSPARK_SUBMIT_ARGS: a cluster's
    master when the job runs on its edge node), local[*] when there are none."""
    import os

    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise ParameterError(
            "engine='spark' needs pyspark (pip install 'tagkit[spark]') and Java 17 or newer."
        ) from err
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if os.environ.get("SPARK_REMOTE"):
        return SparkSession.builder.getOrCreate()
    session = (
        SparkSession.builder.appName("tagkit")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # progress bars would flood the batch's log
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_SPARK_LOG}")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    context = session.sparkContext
    if context.master.startswith("local") and not context.getConf().contains("spark.sql.shuffle.partitions"):
        # Spark's 200 shuffle partitions are sized for a cluster; on one machine they are mostly overhead
        session.conf.set("spark.sql.shuffle.partitions", str(max(4, 2 * context.defaultParallelism)))
    return session


def excel_rows(files: list[Path], sheet=None) -> pd.DataFrame:
    """Order lines from Excel workbooks, every cell as text, with each line's file and spreadsheet row."""
    frames = []
    for f in files:
        table = read_table(f, sheet=sheet)
        frames.append(table.assign(_tk_file=str(f), _tk_record=table.index.astype("int64")).reset_index(drop=True))
    columns = list(dict.fromkeys(c for frame in frames for c in frame.columns))
    rows = pd.concat(frames, ignore_index=True).reindex(columns=columns)
    for column in rows.columns:
        if column != "_tk_record":
            rows[column] = rows[column].astype(object).where(rows[column].notna(), None)
    return rows


def make_engine(
    engine: str,
    *,
    spark=None,
    memory_limit: str = "2GB",
    threads: int | None = None,
    progress: bool = False,
    sheet=None,
):
    if engine == "spark":
        return SparkEngine(spark, sheet=sheet)
    return DuckDBEngine(memory_limit=memory_limit, threads=threads, progress=progress, sheet=sheet)


def no_rejects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series(dtype="str"),
            "row": pd.Series(dtype="Int64"),
            "reason": pd.Series(dtype="str"),
            "raw_line": pd.Series(dtype="str"),
        }
    )


DUCKDB_LINE_SIZE = 2_097_152  # DuckDB's default longest CSV line
LONGEST_LINE = 512 * 2**20  # longer lines are refused with their place, rather than read into memory


def line_scan(path: Path) -> tuple[bool, int, int]:
    """One pass at disk speed: whether the file holds a carriage return not followed by a line feed, the
    length in bytes of its longest line, and that line's number (the first line is 1)."""
    import numpy as np

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lone, previous, longest, longest_at = False, b"", 0, 0
    start, offset, lines = 0, 0, 0  # where the current line starts; bytes and lines before this chunk
    with opener(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            joined = previous + chunk
            previous = joined[-1:] if joined.endswith(b"\r") else b""
            body = joined[:-1] if previous else joined
            lone = lone or body.count(b"\r") != body.count(b"\r\n")
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + offset
            if len(ends):
                lengths = np.diff(np.concatenate(([start], ends + 1)))
                k = int(lengths.argmax())
                if lengths[k] > longest:
                    longest, longest_at = int(lengths[k]), lines + k + 1
                start = int(ends[-1]) + 1
                lines += len(ends)
            offset += len(chunk)
    if offset - start > longest:
        longest, longest_at = offset - start, lines + 1
    return lone or previous == b"\r", longest, longest_at


def has_quoted_line_break(path: Path) -> bool:
    """Whether a quoted value of the CSV spans lines: an odd number of quotes before some line break."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    odd = False
    with opener(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            if not odd and b'"' not in chunk:
                continue
            lines = chunk.split(b"\n")
            for line in lines[:-1]:
                odd ^= bool(line.count(b'"') & 1)
                if odd:
                    return True
            odd ^= bool(lines[-1].count(b'"') & 1)
    return False


def utf8_copy(path: Path, encoding: str, target: Path) -> Path:
    """Stream a file into a UTF-8 copy that DuckDB reads as written: decoded from ``encoding``, and with a
    carriage return that no line feed follows turned into a line feed (a line break, or inside quotes a
    value spanning lines, which DuckDB reads correctly)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    line, pending = 1, ""
    with opener(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 20):
            try:
                text = pending + decoder.decode(chunk)
            except UnicodeDecodeError as err:
                line += chunk[: err.start].count(b"\n")
                raise InputError(
                    f"{path}: near line {line}: the bytes cannot be read as {encoding}. "
                    "Save the file as CSV UTF-8, or give its encoding."
                ) from err
            pending = "\r" if text.endswith("\r") else ""  # it may be half of a \r\n split by the chunk
            text = re.sub("\r(?!\n)", "\n", text[:-1] if pending else text)
            line += text.count("\n")
            dst.write(text)
        dst.write(re.sub("\r(?!\n)", "\n", pending + decoder.decode(b"", final=True)))
    return target


def _head(path: Path, encoding: str = "utf-8-sig", lines: int = 20) -> str:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, errors="replace") as fh:
        return "".join(fh.readline() for _ in range(lines))


def csv_delimiter(readable: Path, original: Path, encoding: str = "utf-8-sig") -> str:
    if original.name.lower().endswith((".tsv", ".tsv.gz")):
        return "\t"
    return sniff_delimiter(_head(readable, encoding))


def csv_header(path: Path, encoding: str, delimiter: str) -> list[str]:
    head = _head(path, encoding, 1).lstrip("\ufeff")
    return next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
