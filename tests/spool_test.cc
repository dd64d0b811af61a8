#include "responder/spool.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "responder/group_commit.h"
#include "responder/spool_schema.h"
#include "responder/sqlite_db.h"
#include "tests/fakes/fake_clock.h"

namespace rr {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

// A payload marker that must never show up in an error message.
constexpr char kPlantedPayloadSecret[] = "PlantedPayloadAccount123456789012";

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rr-spool-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/spool.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  SpoolOptions Options() const {
    SpoolOptions options;
    options.path = path_;
    options.keep_done = hours(24);
    return options;
  }

  std::unique_ptr<Spool> OpenSpool() {
    Result<std::unique_ptr<Spool>> spool = Spool::Open(Options(), clock_);
    EXPECT_TRUE(spool.ok()) << spool.status().ToString();
    return spool.ok() ? std::move(spool).value() : nullptr;
  }

  // A separate plain connection, for what the Spool does not expose.
  SqliteDb RawDb() {
    Result<SqliteDb> db = SqliteDb::Open(path_, SQLITE_OPEN_READWRITE, "test " + path_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
  }

  static AcceptRequest Request(std::string key, std::optional<std::string> drill = std::nullopt) {
    return AcceptRequest{key, "sns-http", "{\"MessageId\":\"" + key + "\"}", std::move(drill), {}};
  }

  static int Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  FakeClock clock_;
  std::string dir_;
  std::string path_;
};

TEST_F(SpoolTest, AcceptsOnceAndRecognisesTheSameKeyAcrossReopen) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  Result<Accepted> first =
      spool->Accept(AcceptRequest{"sns:m-1", "sns-http", "payload one", {}, {}});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->duplicate);
  Result<Accepted> again = spool->Accept(AcceptRequest{"sns:m-1", "sqs", "payload two", {}, {}});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->alert_id, first->alert_id);
  Result<Accepted> other = spool->Accept(Request("eb:e-2"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->duplicate);
  EXPECT_NE(other->alert_id, first->alert_id);
  spool.reset();

  clock_.Advance(hours(1));
  spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  Result<Accepted> after_restart = spool->Accept(Request("sns:m-1"));
  ASSERT_TRUE(after_restart.ok());
  EXPECT_TRUE(after_restart->duplicate);
  EXPECT_EQ(after_restart->alert_id, first->alert_id);

  // The first payload is the one kept, byte for byte, with when and where it came from.
  Result<std::optional<AlertRecord>> found = spool->FindByDedupKey("sns:m-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const AlertRecord& alert = **found;
  EXPECT_EQ(alert.alert_id, first->alert_id);
  EXPECT_EQ(alert.payload, "payload one");
  EXPECT_EQ(alert.source, "sns-http");
  EXPECT_EQ(alert.drill_id, std::nullopt);
  EXPECT_EQ(alert.accepted_at, clock_.WallNow() - hours(1));
  EXPECT_EQ(alert.finished_at, std::nullopt);
  EXPECT_TRUE(alert.deliveries.empty());

  Result<std::optional<AlertRecord>> missing = spool->FindByDedupKey("sns:never");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(SpoolTest, KeepsPayloadBytesExactly) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));  // NULs, invalid UTF-8
  bytes += "루트 계정";
  Result<Accepted> accepted = spool->Accept(AcceptRequest{"k", "file", bytes, {}, {}});
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  Result<std::optional<AlertRecord>> found = spool->FindByDedupKey("k");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->payload, bytes);
}

TEST_F(SpoolTest, RejectsBadRequestsByName) {
  SpoolOptions options = Options();
  options.max_payload_bytes = 64;
  Result<std::unique_ptr<Spool>> opened = Spool::Open(options, clock_);
  ASSERT_TRUE(opened.ok());
  Spool& spool = **opened;
  struct Case {
    AcceptRequest request;
    const char* expected;
  };
  const Case cases[] = {
      {{"", "sqs", "x", {}, {}}, "dedup_key is empty"},
      {{std::string(2000, 'k'), "sqs", "x", {}, {}}, "dedup_key of 2000 bytes"},
      {{"k", "", "x", {}, {}}, "source is empty"},
      {{"k", "sqs", "", {}, {}}, "payload is empty"},
      {{"k", "sqs", std::string(65, 'p'), {}, {}}, "payload of 65 bytes is over the limit of 64"},
      {{"k", "sqs", "x", std::string(), {}}, "drill_id is empty"},
  };
  for (const Case& c : cases) {
    Result<Accepted> result = spool.Accept(c.request);
    ASSERT_FALSE(result.ok()) << c.expected;
    EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(result.status().message().find(c.expected), std::string::npos)
        << result.status().message();
  }
  EXPECT_FALSE(spool.RecordDelivery(1, DeliveryRecord{"", DeliveryState::kSent, 1, {}, {}}).ok());
  EXPECT_FALSE(spool.RecordDelivery(1, DeliveryRecord{"c", DeliveryState::kSent, -1, {}, {}}).ok());
  EXPECT_FALSE(spool.Finish(1, "", "{}").ok());
  EXPECT_FALSE(spool.Unfinished(0).ok());
  Result<SpoolCounts> counts = spool.Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->stored, 0);
}

TEST_F(SpoolTest, UnfinishedListsOldestFirstWithTheChannelsAlreadySent) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  std::vector<int64_t> ids;
  for (const char* key : {"a", "b", "c"}) {
    Result<Accepted> accepted = spool->Accept(Request(key));
    ASSERT_TRUE(accepted.ok());
    ids.push_back(accepted->alert_id);
    clock_.Advance(milliseconds(10));
  }
  ASSERT_TRUE(spool->RecordDelivery(ids[0], {"dooray", DeliveryState::kSent, 1, 200, {}}).ok());
  ASSERT_TRUE(spool
                  ->RecordDelivery(ids[0], {"telegram", DeliveryState::kFailed, 3, 503,
                                            "HTTP 503: Service Unavailable"})
                  .ok());
  ASSERT_TRUE(spool->RecordDelivery(ids[0], {"sms", DeliveryState::kPending, 0, {}, {}}).ok());
  ASSERT_TRUE(spool->RecordDelivery(ids[1], {"dooray", DeliveryState::kSent, 2, 200, {}}).ok());
  ASSERT_TRUE(spool->Finish(ids[1], "delivered", R"({"outcome":"delivered"})").ok());
  // More attempts add up; a channel recorded as sent never goes back.
  clock_.Advance(milliseconds(10));
  ASSERT_TRUE(
      spool->RecordDelivery(ids[0], {"telegram", DeliveryState::kFailed, 2, {}, "timeout"}).ok());
  ASSERT_TRUE(spool->RecordDelivery(ids[0], {"dooray", DeliveryState::kFailed, 1, 500, "x"}).ok());
  spool.reset();

  spool = OpenSpool();  // what a restarted daemon sees
  ASSERT_NE(spool, nullptr);
  Result<std::vector<PendingAlert>> pending = spool->Unfinished(10);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].alert.alert_id, ids[0]);
  EXPECT_EQ((*pending)[1].alert.alert_id, ids[2]);
  EXPECT_EQ((*pending)[0].sent, std::set<std::string>{"dooray"});
  EXPECT_TRUE((*pending)[1].sent.empty());
  EXPECT_EQ((*pending)[0].alert.payload, Request("a").payload);

  const std::vector<StoredDelivery>& d = (*pending)[0].alert.deliveries;
  ASSERT_EQ(d.size(), 3u);  // by channel name
  EXPECT_EQ(d[0].channel, "dooray");
  EXPECT_EQ(d[0].state, DeliveryState::kSent);
  EXPECT_EQ(d[0].attempts, 1);
  EXPECT_EQ(d[0].http_status, 200);
  EXPECT_EQ(d[0].error, std::nullopt);
  EXPECT_EQ(d[1].channel, "sms");
  EXPECT_EQ(d[1].state, DeliveryState::kPending);
  EXPECT_EQ(d[2].channel, "telegram");
  EXPECT_EQ(d[2].state, DeliveryState::kFailed);
  EXPECT_EQ(d[2].attempts, 5);
  EXPECT_EQ(d[2].http_status, std::nullopt);
  EXPECT_EQ(d[2].error, "timeout");
  EXPECT_EQ(d[2].updated_at, clock_.WallNow());

  Result<std::vector<PendingAlert>> first_only = spool->Unfinished(1);
  ASSERT_TRUE(first_only.ok());
  ASSERT_EQ(first_only->size(), 1u);
  EXPECT_EQ((*first_only)[0].alert.alert_id, ids[0]);
}

TEST_F(SpoolTest, FinishRecordsTheOutcomeOnceAndUnknownAlertsAreNotFound) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  Result<Accepted> a = spool->Accept(Request("a"));
  ASSERT_TRUE(a.ok());
  const auto finished_at = clock_.WallNow();
  ASSERT_TRUE(spool->Finish(a->alert_id, "failed", R"({"outcome":"failed"})").ok());
  clock_.Advance(hours(2));
  ASSERT_TRUE(spool->Finish(a->alert_id, "delivered", R"({"outcome":"delivered"})").ok());
  Result<std::optional<AlertRecord>> found = spool->FindByDedupKey("a");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->outcome, "delivered");
  EXPECT_EQ((*found)->outcome_json, R"({"outcome":"delivered"})");
  EXPECT_EQ((*found)->finished_at, finished_at);  // the first finish counts for pruning

  Status finish = spool->Finish(a->alert_id + 100, "delivered", "{}");
  EXPECT_EQ(finish.code(), Status::Code::kNotFound) << finish.ToString();
  EXPECT_NE(finish.message().find(std::to_string(a->alert_id + 100)), std::string::npos);
  Status record =
      spool->RecordDelivery(a->alert_id + 100, {"dooray", DeliveryState::kSent, 1, 200, {}});
  EXPECT_EQ(record.code(), Status::Code::kNotFound) << record.ToString();
  Result<std::vector<PendingAlert>> pending = spool->Unfinished(10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_F(SpoolTest, ARoundIsOneWriteOfEveryChannelAndTheFinish) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  Result<Accepted> a = spool->Accept(Request("round"));
  ASSERT_TRUE(a.ok());
  const auto batches_before = spool->write_stats().batches;
  ASSERT_TRUE(spool
                  ->RecordRound(a->alert_id,
                                {{"dooray", DeliveryState::kSent, 1, 200, {}},
                                 {"sms", DeliveryState::kFailed, 2, 503, "server_error: 503"}},
                                std::nullopt)
                  .ok());
  EXPECT_EQ(spool->write_stats().batches, batches_before + 1);
  Result<std::vector<PendingAlert>> pending = spool->Unfinished(10);
  ASSERT_TRUE(pending.ok() && pending->size() == 1);
  EXPECT_EQ(pending->front().sent, std::set<std::string>{"dooray"});

  // The next round delivers the rest and finishes in the same write; an accept after it is
  // still durable (the writer goes back to synchronous=FULL for it).
  ASSERT_TRUE(spool
                  ->RecordRound(a->alert_id, {{"sms", DeliveryState::kSent, 1, 200, {}}},
                                FinishedOutcome{"delivered", R"({"outcome":"delivered"})"})
                  .ok());
  pending = spool->Unfinished(10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  Result<std::optional<AlertRecord>> found = spool->FindByDedupKey("round");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->outcome, "delivered");
  ASSERT_EQ((*found)->deliveries.size(), 2u);
  for (const StoredDelivery& d : (*found)->deliveries) EXPECT_EQ(d.state, DeliveryState::kSent);
  EXPECT_EQ((*found)->deliveries[1].attempts, 3);  // sms: 2 + 1
  ASSERT_TRUE(spool->Accept(Request("after")).ok());

  // A round for an unknown alert writes nothing and says so.
  Status unknown =
      spool->RecordRound(a->alert_id + 50, {{"dooray", DeliveryState::kSent, 1, 200, {}}},
                         FinishedOutcome{"delivered", "{}"});
  EXPECT_EQ(unknown.code(), Status::Code::kNotFound) << unknown.ToString();
  EXPECT_FALSE(spool->RecordRound(a->alert_id, {}, FinishedOutcome{"", "{}"}).ok());
}

TEST_F(SpoolTest, PruneDeletesFinishedAlertsOlderThanKeepDoneAndNeverUnfinishedOnes) {
  auto spool = OpenSpool();  // keep_done: 24 hours
  ASSERT_NE(spool, nullptr);
  Result<Accepted> old_done = spool->Accept(Request("old-done"));
  Result<Accepted> new_done = spool->Accept(Request("new-done"));
  Result<Accepted> stuck = spool->Accept(Request("stuck"));
  ASSERT_TRUE(old_done.ok() && new_done.ok() && stuck.ok());
  ASSERT_TRUE(
      spool->RecordDelivery(old_done->alert_id, {"dooray", DeliveryState::kSent, 1, 200, {}}).ok());
  ASSERT_TRUE(spool->Finish(old_done->alert_id, "delivered", "{}").ok());
  clock_.Advance(hours(12));
  ASSERT_TRUE(spool->Finish(new_done->alert_id, "partial", "{}").ok());

  clock_.Advance(hours(12));  // old-done finished exactly keep_done ago: not older yet
  Result<int> pruned = spool->Prune();
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(*pruned, 0);

  clock_.Advance(milliseconds(1));
  pruned = spool->Prune();
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);
  Result<std::optional<AlertRecord>> gone = spool->FindByDedupKey("old-done");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  SqliteDb raw = RawDb();
  Result<int64_t> orphan_rows = raw.QueryInt("SELECT count(*) FROM deliveries", "count");
  ASSERT_TRUE(orphan_rows.ok());
  EXPECT_EQ(*orphan_rows, 0);  // its deliveries went with it

  clock_.Advance(hours(1000));
  pruned = spool->Prune();
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 1);  // new-done; "stuck" was never finished and stays for ever
  Result<std::vector<PendingAlert>> pending = spool->Unfinished(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].alert.dedup_key, "stuck");

  // A pruned key is forgotten; the new alert gets a new id, never a pruned one's.
  Result<Accepted> again = spool->Accept(Request("old-done"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->duplicate);
  EXPECT_GT(again->alert_id, stuck->alert_id);
  Result<SpoolCounts> counts = spool->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->accepted_total, 4);
  EXPECT_EQ(counts->stored, 2);
}

TEST_F(SpoolTest, FindsAlertsByDrillId) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  ASSERT_TRUE(spool->Accept(Request("d1-a", "drill-1")).ok());
  ASSERT_TRUE(spool->Accept(Request("plain")).ok());
  ASSERT_TRUE(spool->Accept(Request("d2-a", "drill-2")).ok());
  ASSERT_TRUE(spool->Accept(Request("d1-b", "drill-1")).ok());
  Result<std::vector<AlertRecord>> drill = spool->FindByDrillId("drill-1");
  ASSERT_TRUE(drill.ok()) << drill.status().ToString();
  ASSERT_EQ(drill->size(), 2u);
  EXPECT_EQ((*drill)[0].dedup_key, "d1-a");
  EXPECT_EQ((*drill)[1].dedup_key, "d1-b");
  EXPECT_EQ((*drill)[0].drill_id, "drill-1");
  Result<std::vector<AlertRecord>> none = spool->FindByDrillId("drill-9");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(SpoolTest, CountsAcceptedPendingAndFinishedByOutcome) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    Result<Accepted> a = spool->Accept(Request("k" + std::to_string(i)));
    ASSERT_TRUE(a.ok());
    ids.push_back(a->alert_id);
  }
  ASSERT_TRUE(spool->Accept(Request("k0")).ok());  // a duplicate is not counted again
  ASSERT_TRUE(spool->Finish(ids[0], "delivered", "{}").ok());
  ASSERT_TRUE(spool->Finish(ids[1], "delivered", "{}").ok());
  ASSERT_TRUE(spool->Finish(ids[2], "failed", "{}").ok());
  ASSERT_TRUE(spool->Finish(ids[3], "ignored", "{}").ok());
  Result<SpoolCounts> counts = spool->Counts();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->accepted_total, 6);
  EXPECT_EQ(counts->stored, 6);
  EXPECT_EQ(counts->pending, 2);
  EXPECT_EQ(counts->finished_by_outcome,
            (std::map<std::string, int64_t>{{"delivered", 2}, {"failed", 1}, {"ignored", 1}}));
}

TEST_F(SpoolTest, AcceptAllIsOneTransaction) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  ASSERT_TRUE(spool->Accept(Request("known")).ok());
  Result<std::vector<Accepted>> all =
      spool->AcceptAll({Request("r1"), Request("known"), Request("r2"), Request("r1")});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_FALSE((*all)[0].duplicate);
  EXPECT_TRUE((*all)[1].duplicate);
  EXPECT_FALSE((*all)[2].duplicate);
  EXPECT_TRUE((*all)[3].duplicate);
  EXPECT_EQ((*all)[3].alert_id, (*all)[0].alert_id);

  // A bad request rejects the whole call before anything is written.
  Result<std::vector<Accepted>> bad = spool->AcceptAll({Request("r3"), Request("")});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("request 1: "), std::string::npos);

  // An SQLite failure half-way (a trigger planted for the test) leaves nothing behind either,
  // and its error names the operation, not the payload.
  SqliteDb raw = RawDb();
  ASSERT_TRUE(raw.Exec("CREATE TRIGGER poison BEFORE INSERT ON alerts WHEN NEW.dedup_key LIKE "
                       "'poison%' BEGIN SELECT RAISE(ABORT, 'poisoned for the test'); END",
                       "plant trigger")
                  .ok());
  AcceptRequest poison{"poison-1", "sqs", kPlantedPayloadSecret, {}, {}};
  Result<std::vector<Accepted>> failed = spool->AcceptAll({Request("r4"), poison, Request("r5")});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("insert alert"), std::string::npos)
      << failed.status().message();
  EXPECT_NE(failed.status().message().find("poisoned for the test"), std::string::npos);
  EXPECT_EQ(failed.status().message().find(kPlantedPayloadSecret), std::string::npos);
  for (const char* key : {"r3", "r4", "r5"}) {
    Result<std::optional<AlertRecord>> found = spool->FindByDedupKey(key);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value()) << key;
  }
  EXPECT_TRUE(spool->Accept(Request("r6")).ok());  // the spool goes on
}

TEST_F(SpoolTest, ManyThreadsAcceptAtOnceDurablyAndDetectEachDuplicateOnce) {
  constexpr int kThreads = 16;
  constexpr int kKeys = 150;  // every thread accepts every key: one first, fifteen duplicates
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  struct Seen {
    int64_t id = 0;
    bool duplicate = false;
  };
  std::vector<std::vector<Seen>> seen(kThreads, std::vector<Seen>(kKeys));
  std::atomic<int> errors{0};
  std::atomic<bool> writers_done{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        int key = (i + t * 7) % kKeys;  // threads meet on keys in different orders
        Result<Accepted> a = spool->Accept(Request("key-" + std::to_string(key)));
        if (!a.ok()) {
          ++errors;
          continue;
        }
        seen[t][key] = Seen{a->alert_id, a->duplicate};
      }
    });
  }
  // Reads go on meanwhile, on their own connection.
  std::thread reader([&] {
    while (!writers_done) {
      if (!spool->Counts().ok() || !spool->Unfinished(20).ok()) ++errors;
    }
  });
  for (std::thread& thread : threads) thread.join();
  writers_done = true;
  reader.join();
  ASSERT_EQ(errors, 0);

  std::set<int64_t> ids;
  for (int key = 0; key < kKeys; ++key) {
    int firsts = 0;
    for (int t = 0; t < kThreads; ++t) {
      firsts += seen[t][key].duplicate ? 0 : 1;
      EXPECT_EQ(seen[t][key].id, seen[0][key].id) << "key " << key;
    }
    EXPECT_EQ(firsts, 1) << "key " << key;
    ids.insert(seen[0][key].id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kKeys));

  GroupCommit::Stats stats = spool->write_stats();
  EXPECT_EQ(stats.ops, static_cast<uint64_t>(kThreads * kKeys));
  // Sixteen threads waiting on fsyncs: some of them certainly shared a transaction.
  EXPECT_GT(stats.largest_batch, 1u);
  EXPECT_LT(stats.batches, stats.ops);
  spool.reset();

  spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  for (int key = 0; key < kKeys; ++key) {
    Result<std::optional<AlertRecord>> found = spool->FindByDedupKey("key-" + std::to_string(key));
    ASSERT_TRUE(found.ok() && found->has_value()) << key;
    EXPECT_EQ((*found)->alert_id, seen[0][key].id);
    EXPECT_EQ((*found)->payload, Request("key-" + std::to_string(key)).payload);
  }
}

TEST_F(SpoolTest, OneFailingWriteInASharedTransactionFailsAlone) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  SqliteDb raw = RawDb();
  ASSERT_TRUE(raw.Exec("CREATE TRIGGER poison BEFORE INSERT ON alerts WHEN NEW.dedup_key LIKE "
                       "'poison%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
                       "plant trigger")
                  .ok());
  constexpr int kThreads = 12;
  constexpr int kEach = 40;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        bool poison = (t + i) % 3 == 0;
        std::string key =
            (poison ? "poison-" : "good-") + std::to_string(t) + "-" + std::to_string(i);
        Result<Accepted> a = spool->Accept(Request(key));
        if (a.ok() == poison) ++unexpected;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(unexpected, 0);
  EXPECT_GT(spool->write_stats().largest_batch, 1u);
  Result<SpoolCounts> counts = spool->Counts();
  ASSERT_TRUE(counts.ok());
  int good = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) good += (t + i) % 3 == 0 ? 0 : 1;
  }
  EXPECT_EQ(counts->stored, good);
}

TEST_F(SpoolTest, RefusesAMissingDirectoryWithoutCreatingIt) {
  SpoolOptions options = Options();
  options.path = dir_ + "/not-there/spool.db";
  Result<std::unique_ptr<Spool>> spool = Spool::Open(options, clock_);
  ASSERT_FALSE(spool.ok());
  EXPECT_EQ(spool.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(spool.status().message().find(dir_ + "/not-there does not exist"), std::string::npos)
      << spool.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/not-there"));

  options.path = "";
  EXPECT_FALSE(Spool::Open(options, clock_).ok());
  options.path = dir_;  // a directory, not a file
  Result<std::unique_ptr<Spool>> on_dir = Spool::Open(options, clock_);
  ASSERT_FALSE(on_dir.ok());
  EXPECT_NE(on_dir.status().message().find("not a regular file"), std::string::npos)
      << on_dir.status().message();
}

TEST_F(SpoolTest, RefusesAFileThatIsNotSQLite) {
  {
    std::ofstream out(path_, std::ios::binary);
    for (int i = 0; i < 300; ++i) out << "this is a log file, not a database " << i << "\n";
  }
  Result<std::unique_ptr<Spool>> spool = Spool::Open(Options(), clock_);
  ASSERT_FALSE(spool.ok());
  EXPECT_NE(spool.status().message().find("spool " + path_), std::string::npos)
      << spool.status().message();
  EXPECT_NE(spool.status().message().find("not a database"), std::string::npos)
      << spool.status().message();
}

TEST_F(SpoolTest, RefusesACorruptSpool) {
  {
    auto spool = OpenSpool();
    ASSERT_NE(spool, nullptr);
    std::vector<AcceptRequest> requests;
    for (int i = 0; i < 300; ++i) {
      requests.push_back(AcceptRequest{
          "k" + std::to_string(i), "sqs", kPlantedPayloadSecret + std::string(2000, 'x'), {}, {}});
    }
    ASSERT_TRUE(spool->AcceptAll(std::move(requests)).ok());
  }  // the last connection to close checkpoints the WAL into the file and removes it
  ASSERT_FALSE(std::filesystem::exists(path_ + "-wal"));
  ASSERT_GT(std::filesystem::file_size(path_), 64u * 1024);
  {
    // Scribble over pages in the middle (the header and the schema page stay intact).
    std::fstream file(path_, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(16 * 4096);
    std::string garbage(8 * 4096, '\xAB');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  Result<std::unique_ptr<Spool>> spool = Spool::Open(Options(), clock_);
  ASSERT_FALSE(spool.ok());
  EXPECT_NE(spool.status().message().find("spool " + path_), std::string::npos);
  EXPECT_NE(spool.status().message().find("corrupt"), std::string::npos)
      << spool.status().message();
  EXPECT_EQ(spool.status().message().find(kPlantedPayloadSecret), std::string::npos);
}

TEST_F(SpoolTest, RefusesAnotherProgramsDatabaseAndANewerSchema) {
  {
    SqliteDb other = std::move(
        SqliteDb::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "other").value());
    ASSERT_TRUE(other.Exec("CREATE TABLE notes (body TEXT)", "create").ok());
  }
  Result<std::unique_ptr<Spool>> spool = Spool::Open(Options(), clock_);
  ASSERT_FALSE(spool.ok());
  EXPECT_NE(spool.status().message().find("not a root-responder spool"), std::string::npos)
      << spool.status().message();
  {
    SqliteDb raw = RawDb();
    Result<int64_t> tables = raw.QueryInt("SELECT count(*) FROM sqlite_schema", "count");
    ASSERT_TRUE(tables.ok());
    EXPECT_EQ(*tables, 1);  // nothing added to it
  }
  std::filesystem::remove(path_);

  ASSERT_NE(OpenSpool(), nullptr);
  {
    SqliteDb raw = RawDb();
    ASSERT_TRUE(raw.Exec("PRAGMA user_version = 99", "set version").ok());
  }
  spool = Spool::Open(Options(), clock_);
  ASSERT_FALSE(spool.ok());
  EXPECT_NE(spool.status().message().find("schema version 99 is newer"), std::string::npos)
      << spool.status().message();
}

TEST_F(SpoolTest, KeepsItsSchemaVersionAndSettingsAcrossReopen) {
  for (int round = 0; round < 2; ++round) {
    auto spool = OpenSpool();
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(spool->settings().schema_version, kSpoolSchemaVersion);
    EXPECT_EQ(spool->settings().journal_mode, "wal");
    EXPECT_EQ(spool->settings().synchronous, 2);  // FULL
    EXPECT_TRUE(spool->settings().foreign_keys);
    ASSERT_TRUE(spool->Accept(Request("round-" + std::to_string(round))).ok());
  }
  SqliteDb raw = RawDb();
  EXPECT_EQ(raw.QueryInt("PRAGMA user_version", "v").value(), kSpoolSchemaVersion);
  EXPECT_EQ(raw.QueryInt("PRAGMA application_id", "a").value(), kSpoolApplicationId);
  EXPECT_EQ(raw.QueryText("PRAGMA journal_mode", "j").value(), "wal");
  EXPECT_EQ(raw.QueryInt("SELECT count(*) FROM alerts", "n").value(), 2);
}

TEST_F(SpoolTest, FilesAreReadableByTheOwnerOnly) {
  auto spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  ASSERT_TRUE(spool->Accept(Request("a")).ok());
  EXPECT_EQ(Mode(path_), 0600);
  EXPECT_EQ(Mode(path_ + "-wal"), 0600);
  EXPECT_EQ(Mode(path_ + "-shm"), 0600);
  spool.reset();

  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);  // e.g. restored from a backup
  spool = OpenSpool();
  ASSERT_NE(spool, nullptr);
  EXPECT_EQ(Mode(path_), 0600);
}

TEST(GroupCommitTest, CallersThatQueueDuringAWriteShareTheNextBatch) {
  constexpr int kFollowers = 6;
  std::vector<size_t> batch_sizes;
  std::atomic<bool> release_first{false};
  GroupCommit* group = nullptr;
  GroupCommit commit(
      [&](std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool) {
        if (batch_sizes.empty()) {
          // Hold the first batch "on disk" until everyone else has queued behind it.
          while (!release_first || group->queued() < 1 + kFollowers) std::this_thread::yield();
        }
        batch_sizes.push_back(ops.size());
        for (size_t i = 0; i < ops.size(); ++i) statuses[i] = (*ops[i])();
      },
      64);
  group = &commit;
  std::atomic<int> ran{0};
  std::thread leader([&] { EXPECT_TRUE(commit.Submit([&] { return ++ran, Status::Ok(); }).ok()); });
  while (commit.queued() == 0) std::this_thread::yield();
  std::vector<std::thread> followers;
  for (int i = 0; i < kFollowers; ++i) {
    followers.emplace_back([&, i] {
      Status s = commit.Submit([&, i]() -> Status {
        ++ran;
        return i == 2 ? Status::NotFound("op 2 fails alone") : Status::Ok();
      });
      EXPECT_EQ(s.ok(), i != 2) << i;
    });
  }
  release_first = true;
  leader.join();
  for (std::thread& thread : followers) thread.join();
  EXPECT_EQ(ran, 1 + kFollowers);
  EXPECT_EQ(batch_sizes, (std::vector<size_t>{1, kFollowers}));
  EXPECT_EQ(commit.stats().batches, 2u);
  EXPECT_EQ(commit.stats().largest_batch, static_cast<size_t>(kFollowers));
  EXPECT_EQ(commit.queued(), 0u);
}

TEST(GroupCommitTest, DetachedOpsQueuedDuringAWriteAreWrittenByTheLeaderInOrder) {
  std::vector<std::string> written;
  std::vector<std::string> failures;
  std::atomic<bool> release_first{false};
  std::atomic<bool> first_started{false};
  GroupCommit commit(
      [&](std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool) {
        if (!first_started.exchange(true)) {
          while (!release_first) std::this_thread::yield();  // "on disk" until told
        }
        for (size_t i = 0; i < ops.size(); ++i) statuses[i] = (*ops[i])();
      },
      2,  // so the detached ops need two more batches, both led by the first caller
      [&](const Status& failure) { failures.push_back(failure.message()); });
  std::thread leader([&] {
    EXPECT_TRUE(commit.Submit([&] { return written.push_back("accept"), Status::Ok(); }).ok());
  });
  while (!first_started) std::this_thread::yield();
  // The write is in progress: these return at once, before anything of theirs ran.
  for (std::string name : {"round 1", "round 2", "finish"}) {
    EXPECT_TRUE(commit
                    .SubmitDetached([&written, name]() -> Status {
                      written.push_back(name);
                      return name == "round 2" ? Status::NotFound("no alert 7") : Status::Ok();
                    })
                    .ok());
  }
  EXPECT_EQ(written, std::vector<std::string>{});
  EXPECT_EQ(commit.queued(), 4u);
  release_first = true;
  leader.join();  // the leader returns only once no detached op is left without a writer
  EXPECT_EQ(written, (std::vector<std::string>{"accept", "round 1", "round 2", "finish"}));
  EXPECT_EQ(failures, std::vector<std::string>{"no alert 7"});
  EXPECT_EQ(commit.queued(), 0u);
  EXPECT_EQ(commit.stats().batches, 3u);
}

TEST(GroupCommitTest, ADetachedOpWithNothingInProgressRunsAtOnceWithItsOwnStatus) {
  int batches = 0;
  bool durable_seen = true;
  GroupCommit commit(
      [&](std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool durable) {
        ++batches;
        durable_seen = durable;
        for (size_t i = 0; i < ops.size(); ++i) statuses[i] = (*ops[i])();
      },
      8, [](const Status&) { ADD_FAILURE() << "a failure the caller saw is not reported again"; });
  Status s = commit.SubmitDetached([] { return Status::NotFound("no alert 9"); });
  EXPECT_EQ(s.message(), "no alert 9");
  EXPECT_EQ(batches, 1);
  EXPECT_FALSE(durable_seen);  // bookkeeping: no fsync needed
}

TEST(GroupCommitTest, BatchesNeverExceedTheirLimit) {
  GroupCommit commit(
      [&](std::span<GroupCommit::Op* const> ops, std::span<Status> statuses, bool) {
        std::this_thread::sleep_for(milliseconds(2));
        for (size_t i = 0; i < ops.size(); ++i) statuses[i] = (*ops[i])();
      },
      3);
  std::vector<std::thread> threads;
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back(
        [&] { EXPECT_TRUE(commit.Submit([&] { return ++ran, Status::Ok(); }).ok()); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ran, 20);
  EXPECT_LE(commit.stats().largest_batch, 3u);
  EXPECT_EQ(commit.stats().ops, 20u);
}

}  // namespace
}  // namespace rr
