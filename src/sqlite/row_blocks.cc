#include "sqlite/row_blocks.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <memory>
#include <utility>

#include "sqlite/sqlite_db.h"

namespace vigil::sqlite {
namespace {

// A block is a format byte, the number of rows as a varint, the rows in key
// order, then a directory. Integers are LEB128 varints of their zigzag form;
// series, times, method ids, arrival times and batch ids are written as the
// difference from the row before, so the rows of one batch (one time,
// neighbouring series) take a byte or two each; the differences start again
// every kStride rows. Doubles are their IEEE 754 bits, little-endian;
// optional fields are present when their bit of the row's first byte is set.
// The directory holds, for the first row of each stride, its series (8
// bytes) and its offset in the block (4 bytes), little-endian, so a read of
// one series searches it and decodes a stride or two rather than the block.
// Each set of rows has one encoding.
constexpr std::uint8_t kFormat = 1;
constexpr std::size_t kStride = 32;
constexpr std::size_t kEntryBytes = 12;

std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t UnZigZag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

// Differences wrap around in unsigned arithmetic, so any pair of values
// round-trips and corrupt input cannot overflow a signed integer.
std::int64_t Delta(std::int64_t value, std::int64_t previous) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) -
                                   static_cast<std::uint64_t>(previous));
}

std::int64_t Undelta(std::int64_t delta, std::int64_t previous) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(previous) +
                                   static_cast<std::uint64_t>(delta));
}

class Writer {
 public:
  explicit Writer(std::vector<std::byte>& out) : out_(out) {}

  void Byte(std::uint8_t b) { out_.push_back(static_cast<std::byte>(b)); }
  void Unsigned(std::uint64_t u) {
    while (u >= 0x80) {
      Byte(static_cast<std::uint8_t>(u | 0x80));
      u >>= 7;
    }
    Byte(static_cast<std::uint8_t>(u));
  }
  void Int(std::int64_t v) { Unsigned(ZigZag(v)); }
  void Double(double d) { Fixed(std::bit_cast<std::uint64_t>(d), 8); }
  void Text(const std::string& s) {
    Unsigned(s.size());
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    out_.insert(out_.end(), p, p + s.size());
  }
  void Fixed(std::uint64_t word, int bytes) {
    for (int i = 0; i < bytes; ++i) {
      Byte(static_cast<std::uint8_t>(word >> (8 * i)));
    }
  }
  std::size_t size() const { return out_.size(); }

 private:
  std::vector<std::byte>& out_;
};

// Reads a block; every read checks the bounds and a failed one leaves the
// reader failed, so a row is decoded whole and judged once.
class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}

  bool ok() const { return ok_; }
  std::size_t at() const { return at_; }
  bool done() const { return at_ == in_.size(); }
  std::uint64_t Fixed(int bytes) {
    std::uint64_t word = 0;
    for (int i = 0; i < bytes; ++i) {
      word |= static_cast<std::uint64_t>(Byte()) << (8 * i);
    }
    return word;
  }

  std::uint8_t Byte() {
    if (at_ >= in_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<std::uint8_t>(in_[at_++]);
  }
  // The first byte of a row: bits outside `known` make it corrupt.
  std::uint8_t Flags(std::uint8_t known) {
    const std::uint8_t flags = Byte();
    ok_ = ok_ && (flags & ~known) == 0;
    return flags;
  }
  // Only the shortest encoding of a value is accepted, so a block that
  // decodes packs back to the same bytes.
  std::uint64_t Unsigned() {
    std::uint64_t u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = Byte();
      if (!ok_ || (shift == 63 && b > 1)) {
        break;
      }
      u |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          break;
        }
        return u;
      }
    }
    ok_ = false;
    return 0;
  }
  std::int64_t Int() { return UnZigZag(Unsigned()); }
  double Double() { return std::bit_cast<double>(Fixed(8)); }
  std::optional<double> OptionalDouble(bool present) {
    return present ? std::optional<double>(Double()) : std::nullopt;
  }
  std::optional<std::int64_t> OptionalInt(bool present) {
    return present ? std::optional<std::int64_t>(Int()) : std::nullopt;
  }
  std::string Text() {
    const std::uint64_t size = Unsigned();
    if (!ok_ || size > in_.size() - at_) {
      ok_ = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(in_.data() + at_), size);
    at_ += size;
    return s;
  }

 private:
  std::span<const std::byte> in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// The fields a row's value depends on from the row before.
struct Previous {
  std::int64_t series = 0;
  std::int64_t time = 0;
  std::int64_t other = 0;  // arrived (observations), method id (signals)
  std::int64_t batch = 0;
};

void PutRow(const ObservationRow& r, Previous& p, Writer& w) {
  w.Byte(r.denominator ? 1 : 0);
  w.Int(Delta(r.series, p.series));
  w.Int(Delta(r.time, p.time));
  w.Double(r.value);
  if (r.denominator) {
    w.Double(*r.denominator);
  }
  w.Int(r.source_id);
  w.Int(Delta(r.arrived, p.other));
  w.Int(Delta(r.batch_id, p.batch));
  w.Int(r.version);
  p = {r.series, r.time, r.arrived, r.batch_id};
}

ObservationRow GetRow(Reader& in, Previous& p, ObservationRow) {
  ObservationRow r;
  const std::uint8_t flags = in.Flags(1);
  r.series = Undelta(in.Int(), p.series);
  r.time = Undelta(in.Int(), p.time);
  r.value = in.Double();
  r.denominator = in.OptionalDouble(flags & 1);
  r.source_id = in.Int();
  r.arrived = Undelta(in.Int(), p.other);
  r.batch_id = Undelta(in.Int(), p.batch);
  r.version = in.Int();
  p = {r.series, r.time, r.arrived, r.batch_id};
  return r;
}

enum SignalFlag : std::uint8_t {
  kObserved = 1,
  kExpected = 2,
  kUpperbound = 4,
  kScore = 8,
  kAlarm = 16,
  kBaselineFrom = 32,
  kBaselineTo = 64,
};

void PutRow(const SignalRow& r, Previous& p, Writer& w) {
  w.Byte((r.observed ? kObserved : 0) | (r.expected ? kExpected : 0) |
         (r.upperbound ? kUpperbound : 0) | (r.score ? kScore : 0) | (r.alarm ? kAlarm : 0) |
         (r.baseline_from ? kBaselineFrom : 0) | (r.baseline_to ? kBaselineTo : 0));
  w.Int(Delta(r.series, p.series));
  w.Int(r.detector);
  w.Int(Delta(r.time, p.time));
  w.Int(Delta(r.method_id, p.other));
  for (const std::optional<double>& d : {r.observed, r.expected, r.upperbound, r.score}) {
    if (d) {
      w.Double(*d);
    }
  }
  w.Int(r.level);
  for (const std::optional<std::int64_t>& i : {r.baseline_from, r.baseline_to}) {
    if (i) {
      w.Int(*i);
    }
  }
  w.Text(r.note);
  w.Int(Delta(r.batch_id, p.batch));
  w.Int(r.revisions);
  p = {r.series, r.time, r.method_id, r.batch_id};
}

SignalRow GetRow(Reader& in, Previous& p, SignalRow) {
  SignalRow r;
  const std::uint8_t flags =
      in.Flags(kObserved | kExpected | kUpperbound | kScore | kAlarm | kBaselineFrom | kBaselineTo);
  r.series = Undelta(in.Int(), p.series);
  r.detector = in.Int();
  r.time = Undelta(in.Int(), p.time);
  r.method_id = Undelta(in.Int(), p.other);
  r.observed = in.OptionalDouble(flags & kObserved);
  r.expected = in.OptionalDouble(flags & kExpected);
  r.upperbound = in.OptionalDouble(flags & kUpperbound);
  r.score = in.OptionalDouble(flags & kScore);
  r.alarm = (flags & kAlarm) != 0;
  r.level = in.Int();
  r.baseline_from = in.OptionalInt(flags & kBaselineFrom);
  r.baseline_to = in.OptionalInt(flags & kBaselineTo);
  r.note = in.Text();
  r.batch_id = Undelta(in.Int(), p.batch);
  r.revisions = in.Int();
  p = {r.series, r.time, r.method_id, r.batch_id};
  return r;
}

template <class Row>
void Pack(std::span<const Row> rows, std::vector<std::byte>& out) {
  std::vector<const Row*> sorted;
  sorted.reserve(rows.size());
  for (const Row& r : rows) {
    sorted.push_back(&r);
  }
  std::ranges::sort(sorted, {}, [](const Row* r) { return KeyOf(*r); });
  out.clear();
  Writer w(out);
  w.Byte(kFormat);
  w.Unsigned(rows.size());
  std::vector<std::pair<std::int64_t, std::size_t>> directory;
  Previous p;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i % kStride == 0) {
      directory.emplace_back(sorted[i]->series, w.size());
      p = {};
    }
    PutRow(*sorted[i], p, w);
  }
  for (const auto& [series, offset] : directory) {
    w.Fixed(static_cast<std::uint64_t>(series), 8);
    w.Fixed(offset, 4);
  }
}

// Where the bytes of a block come from.
class BlockSource {
 public:
  virtual ~BlockSource() = default;
  virtual std::size_t size() const = 0;
  // Bytes [at, at + n) of the block, which are within it: a view of a block
  // in memory, or the bytes read into `buffer`.
  virtual Result<std::span<const std::byte>> Read(std::size_t at, std::size_t n,
                                                  std::vector<std::byte>& buffer) = 0;
};

// The first k in [low, high) for which `holds` is false; it holds for a prefix.
template <class Holds>
std::size_t FirstNot(std::size_t low, std::size_t high, Holds holds) {
  while (low < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (holds(mid)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

Status Malformed(std::size_t size, std::size_t at) {
  return Corruption(fmt::format("a block of {} bytes is malformed at byte {}", size, at));
}

// Decodes the rows of a block, or those of one series: the header, then the
// directory, then only the strides that can hold the series. Every stride's
// first row must be where and what the directory says, and keys must
// increase; a whole block must end where its directory begins.
template <class Row>
Status Unpack(BlockSource& source, std::optional<std::int64_t> series, std::vector<Row>& out) {
  const std::size_t size = source.size();
  std::vector<std::byte> buffer;
  VIGIL_ASSIGN_OR_RETURN(const std::span<const std::byte> head,
                         source.Read(0, std::min<std::size_t>(size, 11), buffer));
  Reader header(head);
  const std::uint8_t format = header.Byte();
  if (header.ok() && format != kFormat) {
    return Corruption(fmt::format("a block has format {}, not {}", format, kFormat));
  }
  const std::uint64_t count = header.Unsigned();
  const std::size_t rows_start = header.at();
  // A row takes at least nine bytes, so a larger count is corrupt and must
  // not size anything.
  if (!header.ok() || count > size) {
    return Malformed(size, header.at());
  }
  const std::size_t entries = (count + kStride - 1) / kStride;
  if (entries * kEntryBytes > size - rows_start) {
    return Malformed(size, size);
  }
  const std::size_t directory_start = size - entries * kEntryBytes;
  std::vector<std::byte> directory_buffer;
  VIGIL_ASSIGN_OR_RETURN(const std::span<const std::byte> directory,
                         source.Read(directory_start, entries * kEntryBytes, directory_buffer));
  const auto entry = [&](std::size_t k) {
    Reader in(directory.subspan(k * kEntryBytes, kEntryBytes));
    const auto entry_series = static_cast<std::int64_t>(in.Fixed(8));
    return std::pair{entry_series, static_cast<std::size_t>(in.Fixed(4))};
  };
  // For a series: from the last stride that starts below it (its rows may
  // reach it) to the first that starts above it.
  std::size_t first = 0;
  std::size_t end = entries;
  if (series) {
    const std::size_t below =
        FirstNot(0, entries, [&](std::size_t k) { return entry(k).first < *series; });
    first = below == 0 ? 0 : below - 1;
    end = FirstNot(first, entries, [&](std::size_t k) { return entry(k).first <= *series; });
  }
  const std::size_t begin_at = first == 0 ? rows_start : entry(first).second;
  const std::size_t end_at = end < entries ? entry(end).second : directory_start;
  if (begin_at < rows_start || end_at < begin_at || end_at > directory_start) {
    return Malformed(size, directory_start);
  }
  VIGIL_ASSIGN_OR_RETURN(const std::span<const std::byte> rows,
                         source.Read(begin_at, end_at - begin_at, buffer));
  Reader in(rows);
  Previous p;
  std::optional<RowKey> last;
  for (std::size_t i = first * kStride; i < std::min<std::uint64_t>(count, end * kStride); ++i) {
    std::optional<std::int64_t> stride_series;
    if (i % kStride == 0) {
      const auto [entry_series, offset] = entry(i / kStride);
      if (offset != begin_at + in.at()) {
        return Malformed(size, begin_at + in.at());
      }
      stride_series = entry_series;
      p = {};
    }
    const std::size_t at = begin_at + in.at();
    Row row = GetRow(in, p, Row{});
    if (!in.ok() || (stride_series && *stride_series != row.series) ||
        (last && KeyOf(row) <= *last)) {
      return Malformed(size, at);
    }
    last = KeyOf(row);
    if (series && row.series > *series) {
      return Status::Ok();
    }
    if (!series || row.series == *series) {
      out.push_back(std::move(row));
    }
  }
  if (!series && !in.done()) {
    return Malformed(size, begin_at + in.at());
  }
  return Status::Ok();
}

// A block in memory.
class SpanSource final : public BlockSource {
 public:
  explicit SpanSource(std::span<const std::byte> block) : block_(block) {}
  std::size_t size() const override { return block_.size(); }
  Result<std::span<const std::byte>> Read(std::size_t at, std::size_t n,
                                          std::vector<std::byte>&) override {
    return block_.subspan(at, n);
  }

 private:
  std::span<const std::byte> block_;
};

// A block read through SQLite's incremental blob I/O, a page or so at a time
// rather than the whole value.
class BlobSource final : public BlockSource {
 public:
  BlobSource(sqlite3* db, sqlite3_blob* blob) : db_(db), blob_(blob) {}
  std::size_t size() const override { return static_cast<std::size_t>(sqlite3_blob_bytes(blob_)); }
  Result<std::span<const std::byte>> Read(std::size_t at, std::size_t n,
                                          std::vector<std::byte>& buffer) override {
    buffer.resize(n);
    const int rc =
        n == 0 ? SQLITE_OK
               : sqlite3_blob_read(blob_, buffer.data(), static_cast<int>(n), static_cast<int>(at));
    if (rc != SQLITE_OK) {
      return SqliteError(db_, rc, "reading a block");
    }
    return std::span<const std::byte>(buffer);
  }

 private:
  sqlite3* db_;
  sqlite3_blob* blob_;
};

// The table-valued functions. Each declares the columns of its table, with
// their types (so comparisons convert as on the table), and a hidden `seq`
// argument, the block's row in its table; a cursor holds the decoded rows of
// one block.

void ResultOptional(sqlite3_context* ctx, const std::optional<double>& d) {
  d ? sqlite3_result_double(ctx, *d) : sqlite3_result_null(ctx);
}

void ResultOptional(sqlite3_context* ctx, const std::optional<std::int64_t>& i) {
  i ? sqlite3_result_int64(ctx, *i) : sqlite3_result_null(ctx);
}

struct ObservationColumns {
  static constexpr const char* kSchema =
      "CREATE TABLE x(series_id INTEGER, time INTEGER, value REAL, denominator REAL,"
      " source_id INTEGER, arrived INTEGER, batch_id INTEGER, version INTEGER, seq INTEGER HIDDEN)";
  static constexpr int kSeq = 8;
  static void Result(sqlite3_context* ctx, const ObservationRow& r, int column) {
    switch (column) {
      case 0:
        return sqlite3_result_int64(ctx, r.series);
      case 1:
        return sqlite3_result_int64(ctx, r.time);
      case 2:
        return sqlite3_result_double(ctx, r.value);
      case 3:
        return ResultOptional(ctx, r.denominator);
      case 4:
        return sqlite3_result_int64(ctx, r.source_id);
      case 5:
        return sqlite3_result_int64(ctx, r.arrived);
      case 6:
        return sqlite3_result_int64(ctx, r.batch_id);
      case 7:
        return sqlite3_result_int64(ctx, r.version);
      default:
        return sqlite3_result_null(ctx);
    }
  }
};

struct SignalColumns {
  static constexpr const char* kSchema =
      "CREATE TABLE x(series_id INTEGER, detector INTEGER, time INTEGER, method_id INTEGER,"
      " observed REAL, expected REAL, upperbound REAL, score REAL, alarm INTEGER, level INTEGER,"
      " baseline_from INTEGER, baseline_to INTEGER, note TEXT, batch_id INTEGER,"
      " revisions INTEGER, seq INTEGER HIDDEN)";
  static constexpr int kSeq = 15;
  static void Result(sqlite3_context* ctx, const SignalRow& r, int column) {
    switch (column) {
      case 0:
        return sqlite3_result_int64(ctx, r.series);
      case 1:
        return sqlite3_result_int64(ctx, r.detector);
      case 2:
        return sqlite3_result_int64(ctx, r.time);
      case 3:
        return sqlite3_result_int64(ctx, r.method_id);
      case 4:
        return ResultOptional(ctx, r.observed);
      case 5:
        return ResultOptional(ctx, r.expected);
      case 6:
        return ResultOptional(ctx, r.upperbound);
      case 7:
        return ResultOptional(ctx, r.score);
      case 8:
        return sqlite3_result_int(ctx, r.alarm ? 1 : 0);
      case 9:
        return sqlite3_result_int64(ctx, r.level);
      case 10:
        return ResultOptional(ctx, r.baseline_from);
      case 11:
        return ResultOptional(ctx, r.baseline_to);
      case 12:
        return sqlite3_result_text(ctx, r.note.data(), static_cast<int>(r.note.size()),
                                   SQLITE_TRANSIENT);
      case 13:
        return sqlite3_result_int64(ctx, r.batch_id);
      case 14:
        return sqlite3_result_int64(ctx, r.revisions);
      default:
        return sqlite3_result_null(ctx);
    }
  }
};

template <class Row, class Columns>
struct BlockFunction {
  struct Table {
    sqlite3_vtab base{};
    sqlite3* db = nullptr;
    const char* blocks = nullptr;  // the table whose `block` column holds the blocks
  };
  struct Cursor {
    sqlite3_vtab_cursor base{};
    sqlite3_blob* blob = nullptr;  // kept open from block to block
    std::vector<Row> rows;
    std::size_t at = 0;
  };

  static int Connect(sqlite3* db, void* blocks, int, const char* const*, sqlite3_vtab** table,
                     char**) {
    const int rc = sqlite3_declare_vtab(db, Columns::kSchema);
    if (rc != SQLITE_OK) {
      return rc;
    }
    auto* t = new Table;
    t->db = db;
    t->blocks = static_cast<const char*>(blocks);
    *table = &t->base;
    return SQLITE_OK;
  }

  static int Disconnect(sqlite3_vtab* table) {
    delete reinterpret_cast<Table*>(table);
    return SQLITE_OK;
  }

  // The block's seq is required (a plan without it is refused);
  // series_id = value is passed along too, and SQLite still checks it, since
  // the value may not be an integer.
  static int BestIndex(sqlite3_vtab*, sqlite3_index_info* info) {
    int seq = -1;
    int series = -1;
    for (int i = 0; i < info->nConstraint; ++i) {
      const auto& c = info->aConstraint[i];
      if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ) {
        continue;
      }
      if (c.iColumn == Columns::kSeq) {
        seq = i;
      } else if (c.iColumn == 0) {
        series = i;
      }
    }
    if (seq < 0) {
      return SQLITE_CONSTRAINT;
    }
    info->aConstraintUsage[seq].argvIndex = 1;
    info->aConstraintUsage[seq].omit = 1;
    if (series >= 0) {
      info->aConstraintUsage[series].argvIndex = 2;
    }
    info->estimatedCost = series >= 0 ? 100 : 1000;
    info->estimatedRows = series >= 0 ? 10 : 1000;
    return SQLITE_OK;
  }

  static int Open(sqlite3_vtab*, sqlite3_vtab_cursor** cursor) {
    *cursor = &(new Cursor)->base;
    return SQLITE_OK;
  }

  static int Close(sqlite3_vtab_cursor* base) {
    auto* cursor = reinterpret_cast<Cursor*>(base);
    sqlite3_blob_close(cursor->blob);
    delete cursor;
    return SQLITE_OK;
  }

  static int Fail(sqlite3_vtab_cursor* base, int rc, const std::string& message) {
    sqlite3_free(base->pVtab->zErrMsg);
    base->pVtab->zErrMsg = sqlite3_mprintf("%s", message.c_str());
    return rc;
  }

  // Opens the block with incremental blob I/O, so that the rows of one series
  // cost the pages that hold them, not the whole block.
  static int Filter(sqlite3_vtab_cursor* base, int, const char*, int argc, sqlite3_value** argv) {
    auto* cursor = reinterpret_cast<Cursor*>(base);
    cursor->rows.clear();
    cursor->at = 0;
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
      return SQLITE_OK;
    }
    const auto* table = reinterpret_cast<Table*>(base->pVtab);
    sqlite3* db = table->db;
    const sqlite3_int64 seq = sqlite3_value_int64(argv[0]);
    int rc = SQLITE_OK;
    if (cursor->blob != nullptr) {
      rc = sqlite3_blob_reopen(cursor->blob, seq);
    }
    if (cursor->blob == nullptr || rc != SQLITE_OK) {
      sqlite3_blob_close(cursor->blob);
      cursor->blob = nullptr;
      rc = sqlite3_blob_open(db, "main", table->blocks, "block", seq, 0, &cursor->blob);
    }
    if (rc != SQLITE_OK) {
      return Fail(base, rc, fmt::format("{} {}: {}", table->blocks, seq, sqlite3_errmsg(db)));
    }
    std::optional<std::int64_t> series;
    if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_INTEGER) {
      series = sqlite3_value_int64(argv[1]);
    }
    BlobSource source(db, cursor->blob);
    const Status status = Unpack(source, series, cursor->rows);
    if (!status.ok()) {
      return Fail(base, status.code() == StatusCode::kCorruption ? SQLITE_CORRUPT : SQLITE_ERROR,
                  fmt::format("{} {}: {}", table->blocks, seq, status.message()));
    }
    return SQLITE_OK;
  }

  static int Next(sqlite3_vtab_cursor* cursor) {
    ++reinterpret_cast<Cursor*>(cursor)->at;
    return SQLITE_OK;
  }

  static int Eof(sqlite3_vtab_cursor* base) {
    const auto* cursor = reinterpret_cast<Cursor*>(base);
    return cursor->at >= cursor->rows.size() ? 1 : 0;
  }

  static int Column(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int column) {
    const auto* cursor = reinterpret_cast<Cursor*>(base);
    Columns::Result(ctx, cursor->rows[cursor->at], column);
    return SQLITE_OK;
  }

  static int Rowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* rowid) {
    *rowid = static_cast<sqlite3_int64>(reinterpret_cast<Cursor*>(cursor)->at);
    return SQLITE_OK;
  }

  // Eponymous only: no xCreate, so the function needs no CREATE VIRTUAL TABLE.
  static constexpr sqlite3_module kModule = {
      .iVersion = 0,
      .xCreate = nullptr,
      .xConnect = Connect,
      .xBestIndex = BestIndex,
      .xDisconnect = Disconnect,
      .xDestroy = nullptr,
      .xOpen = Open,
      .xClose = Close,
      .xFilter = Filter,
      .xNext = Next,
      .xEof = Eof,
      .xColumn = Column,
      .xRowid = Rowid,
  };
};

}  // namespace

void PackRows(std::span<const ObservationRow> rows, std::vector<std::byte>& out) {
  Pack(rows, out);
}

void PackRows(std::span<const SignalRow> rows, std::vector<std::byte>& out) { Pack(rows, out); }

Status UnpackRows(std::span<const std::byte> block, std::optional<std::int64_t> series,
                  std::vector<ObservationRow>& out) {
  SpanSource source(block);
  return Unpack(source, series, out);
}

Status UnpackRows(std::span<const std::byte> block, std::optional<std::int64_t> series,
                  std::vector<SignalRow>& out) {
  SpanSource source(block);
  return Unpack(source, series, out);
}

Status RegisterBlockFunctions(sqlite3* db) {
  struct Function {
    const char* name;
    const sqlite3_module* module;
    const char* blocks;
  };
  constexpr const sqlite3_module* kObservations =
      &BlockFunction<ObservationRow, ObservationColumns>::kModule;
  constexpr const sqlite3_module* kSignals = &BlockFunction<SignalRow, SignalColumns>::kModule;
  for (const auto& [name, module, blocks] :
       {Function{"observation_block", kObservations, "recent_observation_blocks"},
        Function{"signal_block", kSignals, "recent_signal_blocks"},
        Function{"observation_series_block", kObservations, "observation_series_blocks"},
        Function{"signal_series_block", kSignals, "signal_series_blocks"}}) {
    // SQLite hands the table name back to Connect; it is a literal, never freed.
    const int rc = sqlite3_create_module(db, name, module, const_cast<char*>(blocks));
    if (rc != SQLITE_OK) {
      return SqliteError(db, rc, fmt::format("registering {}", name));
    }
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
