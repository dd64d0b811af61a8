// The spool's promise under a crash: a child process accepts alerts from several threads and
// prints each id only after Accept() returned; the parent SIGKILLs it at a random moment, then
// reopens the spool and finds every printed alert with its payload intact, and a database that
// passes PRAGMA integrity_check. Several rounds run against the same file.
//
// SIGKILL ends the process, not the machine: this proves that a returned Accept() is committed
// and that a kill mid-transaction never corrupts the file. Bookkeeping is weaker on purpose: a
// returned Finish() may still be queued when the kill comes (it does not wait for a write in
// progress), so a finished alert is found either finished, after its delivery record, or
// unfinished and listed for resume; never finished without the record written before it. Surviving
// power loss additionally rests on synchronous=FULL, which spool_test.cc checks is in effect.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "channels/clock.h"
#include "responder/spool.h"
#include "responder/sqlite_db.h"

namespace rr {
namespace {

constexpr int kRounds = 8;
constexpr int kWriterThreads = 4;

// Deterministic from the key, 60 to ~6000 bytes, so the parent can check it byte for byte.
std::string PayloadFor(const std::string& key) {
  std::string payload = "{\"MessageId\":\"" + key + "\",\"Message\":\"";
  size_t length = std::hash<std::string>{}(key) % 6000;
  for (size_t i = 0; i < length; ++i)
    payload.push_back(static_cast<char>('a' + (i * 7 + key.size()) % 26));
  return payload + "\"}";
}

void WriteLine(int fd, const std::string& line) {
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n <= 0) ::_exit(3);  // the parent is gone
    data += n;
    left -= static_cast<size_t>(n);
  }
}

// The child: accept alerts in a loop until killed. Every line is shorter than PIPE_BUF, so
// lines from different threads never interleave. "A <id> <key>": accepted; "F <id>": finished;
// "E <message>": an error the parent reports.
[[noreturn]] void RunChild(const std::string& path, int round, int out_fd) {
  SpoolOptions options;
  options.path = path;
  Result<std::unique_ptr<Spool>> opened = Spool::Open(options, SystemClock());
  if (!opened.ok()) {
    WriteLine(out_fd, "E " + opened.status().ToString() + "\n");
    ::_exit(2);
  }
  Spool& spool = **opened;
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriterThreads; ++t) {
    threads.emplace_back([&spool, round, t, out_fd] {
      for (int n = 0; n < 1000000; ++n) {
        std::string key =
            "r" + std::to_string(round) + "-t" + std::to_string(t) + "-" + std::to_string(n);
        Result<Accepted> accepted =
            spool.Accept(AcceptRequest{key, "sqs", PayloadFor(key), {}, {}});
        if (!accepted.ok()) {
          WriteLine(out_fd, "E " + accepted.status().ToString() + "\n");
          continue;
        }
        WriteLine(out_fd, "A " + std::to_string(accepted->alert_id) + " " + key + "\n");
        if (n % 5 == 0) {
          Status s = spool.RecordDelivery(
              accepted->alert_id, DeliveryRecord{"dooray", DeliveryState::kSent, 1, 200, {}});
          if (s.ok())
            s = spool.Finish(accepted->alert_id, "delivered", "{\"outcome\":\"delivered\"}");
          WriteLine(out_fd, s.ok() ? "F " + std::to_string(accepted->alert_id) + "\n"
                                   : "E " + s.ToString() + "\n");
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ::_exit(0);
}

struct ChildReport {
  std::map<std::string, int64_t> accepted;  // key -> id
  std::set<int64_t> finished;
  std::vector<std::string> errors;
  int term_signal = 0;
};

// Forks the writer, lets it run for `delay` after its first line, SIGKILLs it and collects
// every line it managed to print.
ChildReport RunAndKill(const std::string& path, int round, std::chrono::milliseconds delay) {
  ChildReport report;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    report.errors.push_back("pipe failed");
    return report;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    report.errors.push_back("fork failed");
    return report;
  }
  if (pid == 0) {
    ::close(fds[0]);
    RunChild(path, round, fds[1]);
  }
  ::close(fds[1]);

  std::string output;
  char buffer[65536];
  auto deadline = std::chrono::steady_clock::time_point::max();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool killed = false;
  while (true) {
    auto now = std::chrono::steady_clock::now();
    if (!killed && (now >= deadline || now >= give_up)) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    pollfd p{fds[0], POLLIN, 0};
    ::poll(&p, 1, killed ? 1000 : 1);
    ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n > 0) {
      output.append(buffer, static_cast<size_t>(n));
      if (deadline == std::chrono::steady_clock::time_point::max()) deadline = now + delay;
    } else if (n == 0) {
      break;  // the child is gone and everything it wrote has been read
    }
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  if (WIFSIGNALED(wstatus)) report.term_signal = WTERMSIG(wstatus);

  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "A") {
      int64_t id = 0;
      std::string key;
      fields >> id >> key;
      report.accepted[key] = id;
    } else if (kind == "F") {
      int64_t id = 0;
      fields >> id;
      report.finished.insert(id);
    } else {
      report.errors.push_back(line);
    }
  }
  return report;
}

TEST(SpoolCrashTest, EveryReturnedAcceptSurvivesSigkillAtARandomMoment) {
  std::string pattern = (std::filesystem::temp_directory_path() / "rr-spool-crash-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::string dir = pattern;
  const std::string path = dir + "/spool.db";
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);

  std::map<std::string, int64_t> all_accepted;
  std::set<int64_t> all_finished;
  std::set<int64_t> finishes_lost_to_kill;  // this round's
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Round 0 dies as soon as it has printed; the others after 1 to 300 ms of writing.
    std::chrono::milliseconds delay(round == 0 ? 0 : 1 + random() % 300);
    ChildReport report = RunAndKill(path, round, delay);
    EXPECT_TRUE(report.errors.empty()) << report.errors.front();
    EXPECT_EQ(report.term_signal, SIGKILL);
    EXPECT_FALSE(report.accepted.empty()) << "the child printed nothing before it was killed";
    all_accepted.insert(report.accepted.begin(), report.accepted.end());
    all_finished.insert(report.finished.begin(), report.finished.end());

    {
      // The raw file first, before the Spool's own checks run.
      Result<SqliteDb> raw = SqliteDb::Open(path, SQLITE_OPEN_READWRITE, "check " + path);
      ASSERT_TRUE(raw.ok()) << raw.status().ToString();
      Result<std::string> integrity = raw->QueryText("PRAGMA integrity_check", "integrity");
      ASSERT_TRUE(integrity.ok()) << integrity.status().ToString();
      EXPECT_EQ(*integrity, "ok");
    }
    SpoolOptions options;
    options.path = path;
    Result<std::unique_ptr<Spool>> spool = Spool::Open(options, SystemClock());
    ASSERT_TRUE(spool.ok()) << spool.status().ToString();
    // Every alert of every round so far: a later crash must not lose an earlier one either.
    std::set<int64_t> ids;
    for (const auto& [key, id] : all_accepted) {
      Result<std::optional<AlertRecord>> found = (*spool)->FindByDedupKey(key);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      ASSERT_TRUE(found->has_value()) << "lost " << key;
      EXPECT_EQ((*found)->alert_id, id) << key;
      EXPECT_EQ((*found)->payload, PayloadFor(key)) << key;
      if (all_finished.count(id) > 0 && (*found)->finished_at) {
        EXPECT_EQ((*found)->outcome, "delivered") << key;
        // Writes land in the order they were made: the record came before the finish.
        ASSERT_EQ((*found)->deliveries.size(), 1u) << key;
        EXPECT_EQ((*found)->deliveries[0].state, DeliveryState::kSent) << key;
      } else if (all_finished.count(id) > 0) {
        finishes_lost_to_kill.insert(id);  // must be listed for resume: checked below
      }
      ids.insert(id);
    }
    EXPECT_EQ(ids.size(), all_accepted.size()) << "two keys share an id";
    // What was accepted but not finished is there to resume.
    Result<std::vector<PendingAlert>> pending = (*spool)->Unfinished(1000000);
    ASSERT_TRUE(pending.ok());
    std::set<int64_t> pending_ids;
    for (const PendingAlert& p : *pending) pending_ids.insert(p.alert.alert_id);
    for (int64_t id : finishes_lost_to_kill) EXPECT_TRUE(pending_ids.count(id)) << id;
    finishes_lost_to_kill.clear();
    Result<SpoolCounts> counts = (*spool)->Counts();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(static_cast<int64_t>(pending->size()), counts->pending);
    EXPECT_GE(counts->stored, static_cast<int64_t>(all_accepted.size()));
  }  // the parent's connections close before the next fork
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rr
