#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

// One stream replay: messages and records received, their bytes, time.
struct StreamRun {
  int64_t messages = 0;
  int64_t records = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// One server-streaming call read as raw bytes (grpc::GenericStub): every
// stream row, ours and the EchoStream floor, is read this way, so the
// client does the same work per message for both: no message is parsed
// into objects; each is scanned field by field at the top level (below).
class RawStream {
 public:
  RawStream(const std::shared_ptr<grpc::Channel>& channel,
            const std::string& method,
            const google::protobuf::MessageLite& request)
      : stub_(channel) {
    call_ = stub_.PrepareCall(&context_, method, &queue_);
    call_->StartCall(Tag(1));
    Await(1, "start");
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    call_->WriteLast(grpc::ByteBuffer(&slice, 1), grpc::WriteOptions(),
                     Tag(2));
    Await(2, "write");
  }
  ~RawStream() {
    if (!finished_) {
      context_.TryCancel();
      Finish();
    }
    queue_.Shutdown();
    void* tag;
    bool ok;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // The next message; false at the end of the stream.
  bool Read(grpc::ByteBuffer* message) {
    call_->Read(message, Tag(3));
    return Await(3, nullptr);
  }
  grpc::Status Finish() {
    grpc::Status status;
    call_->Finish(&status, Tag(4));
    Await(4, "finish");
    finished_ = true;
    return status;
  }
  void Cancel() { context_.TryCancel(); }

 private:
  static void* Tag(intptr_t n) { return reinterpret_cast<void*>(n); }
  // Waits for operation `n`; false if it failed (fatal when `what` names
  // it).
  bool Await(intptr_t n, const char* what) {
    void* tag = nullptr;
    bool ok = false;
    if (!queue_.Next(&tag, &ok) || tag != Tag(n)) Fail("raw stream: queue");
    if (!ok && what != nullptr && n != 4) {
      Fail(absl::StrCat("raw stream: ", what, " failed"));
    }
    return ok;
  }

  grpc::GenericStub stub_;
  grpc::ClientContext context_;
  grpc::CompletionQueue queue_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  bool finished_ = false;
};

// What a top-level scan of one streamed message found.
struct MessageScan {
  int64_t bytes = 0;
  // Occurrences of the repeated field asked for (events, changes, payload).
  int64_t records = 0;
  // The first varint field inside the last such record (an event's or a
  // change's sequence), 0 if none.
  uint64_t last_record_first_varint = 0;
  // The top-level varint field asked for (head_sequence,
  // through_sequence), 0 if absent.
  uint64_t varint = 0;
};

// Walks the message's top-level fields without building any object: counts
// field `records_field` and reads the first varint inside each (skipping
// the rest of it), and reads varint field `varint_field`. The same walk for
// every row.
MessageScan ScanMessage(grpc::ByteBuffer* message, int records_field,
                        int varint_field) {
  MessageScan scan;
  scan.bytes = static_cast<int64_t>(message->Length());
  grpc::ProtoBufferReader reader(message);
  google::protobuf::io::CodedInputStream in(&reader);
  while (uint32_t tag = in.ReadTag()) {
    const int number = static_cast<int>(tag >> 3);
    const auto type = static_cast<int>(tag & 7);
    if (type == 2) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) Fail("scan: bad length");
      if (number != records_field) {
        if (!in.Skip(static_cast<int>(length))) Fail("scan: short field");
        continue;
      }
      ++scan.records;
      const auto limit = in.PushLimit(static_cast<int>(length));
      uint64_t first = 0;
      const uint32_t inner = in.ReadTag();
      if (inner != 0 && (inner & 7) == 0) in.ReadVarint64(&first);
      scan.last_record_first_varint = first;
      if (!in.Skip(in.BytesUntilLimit())) Fail("scan: short record");
      in.PopLimit(limit);
    } else if (type == 0) {
      uint64_t value = 0;
      if (!in.ReadVarint64(&value)) Fail("scan: bad varint");
      if (number == varint_field) scan.varint = value;
    } else if (!in.Skip(type == 1 ? 8 : type == 5 ? 4 : -1)) {
      Fail("scan: bad field");
    }
  }
  if (!in.ConsumedEntireMessage()) Fail("scan: trailing bytes");
  return scan;
}

// The change feed from the beginning until sequence `head` has arrived.
StreamRun ReplaySubscribe(const std::shared_ptr<grpc::Channel>& feed,
                          uint64_t head) {
  StreamRun run;
  const auto start = Clock::now();
  RawStream stream(feed, "/communique.v1.ChangeFeedService/Subscribe",
                   api::SubscribeRequest());
  grpc::ByteBuffer message;
  uint64_t last = 0;
  while (last < head && stream.Read(&message)) {
    const MessageScan scan = ScanMessage(
        &message, api::SubscribeResponse::kEventsFieldNumber,
        api::SubscribeResponse::kHeadSequenceFieldNumber);
    if (scan.records == 0) continue;  // heartbeat
    ++run.messages;
    run.records += scan.records;
    run.bytes += scan.bytes;
    last = scan.last_record_first_varint;
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stream.Cancel();
  stream.Finish().ok();  // CANCELLED, by design
  if (last < head) Fail(absl::StrCat("Subscribe ended at ", last, " < ", head));
  return run;
}

// WatchSummits replaying the replica's history after `from` until
// `head` is covered.
StreamRun ReplayWatch(const std::shared_ptr<grpc::Channel>& query,
                      uint64_t from, uint64_t head) {
  StreamRun run;
  api::WatchSummitsRequest request;
  request.set_start_sequence(from);
  const auto start = Clock::now();
  RawStream stream(query, "/communique.v1.QueryService/WatchSummits", request);
  grpc::ByteBuffer message;
  uint64_t through = 0;
  while (through < head && stream.Read(&message)) {
    const MessageScan scan = ScanMessage(
        &message, api::WatchSummitsResponse::kChangesFieldNumber,
        api::WatchSummitsResponse::kThroughSequenceFieldNumber);
    through = std::max<uint64_t>(through, scan.varint);
    if (scan.records == 0) continue;  // the confirmation
    ++run.messages;
    run.records += scan.records;
    run.bytes += scan.bytes;
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stream.Cancel();
  grpc::Status status = stream.Finish();
  if (through < head) {
    Fail(absl::StrCat("WatchSummits ended at ", through, " < ", head, ": ",
                      status.error_message()));
  }
  return run;
}

// EchoStream of `count` messages of `bytes` bytes each.
StreamRun RunEchoStream(const std::shared_ptr<grpc::Channel>& echo,
                        int64_t count, int bytes) {
  StreamRun run;
  v1::EchoRequest request;
  request.set_count(static_cast<int32_t>(count));
  request.set_response_bytes(bytes);
  const auto start = Clock::now();
  RawStream stream(echo, "/communique.bench.v1.EchoService/EchoStream",
                   request);
  grpc::ByteBuffer message;
  while (stream.Read(&message)) {
    const MessageScan scan =
        ScanMessage(&message, v1::EchoResponse::kPayloadFieldNumber, 0);
    ++run.messages;
    run.bytes += scan.bytes;
  }
  grpc::Status status = stream.Finish();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!status.ok() || run.messages != count) {
    Fail("EchoStream: " + status.error_message());
  }
  return run;
}

uint64_t ParseToken(const std::string& token) {
  uint64_t sequence = 0;
  if (!absl::SimpleAtoi(token, &sequence) || sequence == 0) {
    Fail("needs --generate (a consistency token to replay up to)");
  }
  return sequence;
}

// WatchSummits (query replica) and Subscribe (ingest change feed) replays
// against EchoStream of the same message count and sizes on the Echo floor
// server. Returns the number of misses.
int MeasureStreams(const std::shared_ptr<grpc::Channel>& query,
                   const std::shared_ptr<grpc::Channel>& echo,
                   const std::string& token, int rounds) {
  const uint64_t head = ParseToken(token);
  const std::string ingest = absl::GetFlag(FLAGS_ingest);
  auto feed = Channel(ingest, absl::GetFlag(FLAGS_replica_token_file));
  // The replica keeps kWatchHistorySequences of history; stay inside it.
  const uint64_t from = head > 90000 ? head - 90000 : 1;
  std::vector<double> sub_ratio, watch_ratio, sub_rps, watch_rps, sub_echo_rps,
      watch_echo_rps;
  StreamRun sub, watch;
  for (int round = 0; round < rounds; ++round) {
    StreamRun sub_echo, watch_echo;
    auto subscribe = [&] {
      sub = ReplaySubscribe(feed, head);
      sub_echo = RunEchoStream(echo, sub.messages,
                               static_cast<int>(sub.bytes / sub.messages));
    };
    auto watch_run = [&] {
      watch = ReplayWatch(query, from, head);
      watch_echo = RunEchoStream(echo, watch.messages,
                                 static_cast<int>(watch.bytes / watch.messages));
    };
    if (round % 2) {
      watch_run();
      subscribe();
    } else {
      subscribe();
      watch_run();
    }
    // Same records in the same messages: records/s ratio = time ratio.
    sub_ratio.push_back(sub_echo.seconds / sub.seconds);
    watch_ratio.push_back(watch_echo.seconds / watch.seconds);
    sub_rps.push_back(sub.records / sub.seconds);
    sub_echo_rps.push_back(sub.records / sub_echo.seconds);
    watch_rps.push_back(watch.records / watch.seconds);
    watch_echo_rps.push_back(watch.records / watch_echo.seconds);
  }
  std::printf("\n== streams: replays vs EchoStream of the same messages "
              "(median of %d rounds)\n", rounds);
  std::printf("Subscribe: %lld events in %lld messages (avg %lld B), %.0f "
              "events/s (%.1f MB/s); EchoStream same messages %.0f/s\n",
              static_cast<long long>(sub.records),
              static_cast<long long>(sub.messages),
              static_cast<long long>(sub.bytes / sub.messages),
              MedianOf(sub_rps), MedianOf(sub_rps) * sub.bytes / sub.records / 1e6,
              MedianOf(sub_echo_rps));
  std::printf("WatchSummits: %lld changes in %lld messages (avg %lld B), %.0f "
              "changes/s (%.1f MB/s); EchoStream same messages %.0f/s\n",
              static_cast<long long>(watch.records),
              static_cast<long long>(watch.messages),
              static_cast<long long>(watch.bytes / watch.messages),
              MedianOf(watch_rps),
              MedianOf(watch_rps) * watch.bytes / watch.records / 1e6,
              MedianOf(watch_echo_rps));
  Summary("abs.subscribe.records_per_s", MedianOf(sub_rps));
  Summary("abs.watch.records_per_s", MedianOf(watch_rps));
  int misses = 0;
  misses += RatioRow("Subscribe records/s / EchoStream", sub_ratio, false, 0.8);
  misses += RatioRow("WatchSummits records/s / EchoStream", watch_ratio, false,
                     0.8);
  return misses;
}

}  // namespace communique::bench::loadgen
