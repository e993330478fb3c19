#include "sqlite/store_statements.h"

#include <utility>

namespace vigil::sqlite {
namespace {

constexpr const char* kUpsert = R"sql(
INSERT INTO observations (series_id, time, value, denominator, source_id, arrived, batch_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (series_id, time) DO UPDATE SET
  value = excluded.value, denominator = excluded.denominator, source_id = excluded.source_id,
  arrived = excluded.arrived, batch_id = excluded.batch_id, version = version + 1
WHERE value IS NOT excluded.value OR denominator IS NOT excluded.denominator
   OR source_id IS NOT excluded.source_id)sql";

constexpr const char* kReadCurrent = R"sql(
SELECT o.time, o.value, o.denominator, s.name, o.arrived
FROM observations o JOIN sources s ON s.id = o.source_id
WHERE o.series_id = ?1 AND o.time >= ?2 AND o.time < ?3 ORDER BY o.time)sql";

// Every version that had arrived by ?4, ordered so that the last row of each
// time is the newest by arrival, then by version (write order).
constexpr const char* kReadAsOf = R"sql(
SELECT o.time, o.value, o.denominator, s.name, o.arrived, o.version
FROM observations o JOIN sources s ON s.id = o.source_id
WHERE o.series_id = ?1 AND o.time >= ?2 AND o.time < ?3 AND o.arrived <= ?4
UNION ALL
SELECT r.time, r.value, r.denominator, s.name, r.arrived, r.version
FROM observation_revisions r JOIN sources s ON s.id = r.source_id
WHERE r.series_id = ?1 AND r.time >= ?2 AND r.time < ?3 AND r.arrived <= ?4
ORDER BY 1, 5, 6)sql";

constexpr const char* kHistory = R"sql(
SELECT r.time, r.value, r.denominator, s.name, r.arrived, r.version
FROM observation_revisions r JOIN sources s ON s.id = r.source_id
WHERE r.series_id = ?1 AND r.time = ?2
UNION ALL
SELECT o.time, o.value, o.denominator, s.name, o.arrived, o.version
FROM observations o JOIN sources s ON s.id = o.source_id
WHERE o.series_id = ?1 AND o.time = ?2
ORDER BY 6)sql";

}  // namespace

Status PrepareWrites(Database& db, WriteStatements& w) {
  const std::pair<Statement*, const char*> all[] = {
      {&w.begin, "BEGIN IMMEDIATE"},
      {&w.commit, "COMMIT"},
      {&w.rollback, "ROLLBACK"},
      {&w.insert_batch, "INSERT INTO batches (origin, arrived) VALUES (?1, ?2)"},
      {&w.update_batch,
       "UPDATE batches SET inserted = ?2, revised = ?3, unchanged = ?4 WHERE id = ?1"},
      {&w.find_series, "SELECT id FROM series WHERE indicator = ?1 AND region = ?2"},
      {&w.insert_series, "INSERT INTO series (indicator, region) VALUES (?1, ?2)"},
      {&w.series_exists, "SELECT 1 FROM series WHERE id = ?1"},
      {&w.find_source, "SELECT id FROM sources WHERE name = ?1"},
      {&w.insert_source, "INSERT INTO sources (name) VALUES (?1)"},
      {&w.upsert, kUpsert},
  };
  for (const auto& [statement, sql] : all) {
    VIGIL_ASSIGN_OR_RETURN(*statement, db.Prepare(sql));
  }
  return Status::Ok();
}

Status PrepareReads(Database& db, ReadStatements& r) {
  const std::pair<Statement*, const char*> all[] = {
      {&r.find_series, "SELECT id FROM series WHERE indicator = ?1 AND region = ?2"},
      {&r.list_series, "SELECT id, indicator, region FROM series ORDER BY id"},
      {&r.series_exists, "SELECT 1 FROM series WHERE id = ?1"},
      {&r.read_current, kReadCurrent},
      {&r.read_as_of, kReadAsOf},
      {&r.history, kHistory},
      {&r.batches,
       "SELECT id, origin, arrived, inserted, revised, unchanged FROM batches ORDER BY id"},
      {&r.stats,
       "SELECT (SELECT count(*) FROM series), (SELECT count(*) FROM observations),"
       " (SELECT count(*) FROM observation_revisions), (SELECT count(*) FROM batches)"},
  };
  for (const auto& [statement, sql] : all) {
    VIGIL_ASSIGN_OR_RETURN(*statement, db.Prepare(sql));
  }
  return Status::Ok();
}

}  // namespace vigil::sqlite
