#include "shared/http/websocket_frame_parser.h"

#include <gtest/gtest.h>

#include "shared/http/websocket_frame_encoder.h"

namespace silt::http {
namespace {

std::string Masked(WebSocketOpcode opcode, std::string_view payload, bool fin = true) {
  std::string frame;
  AppendMaskedWebSocketFrame(opcode, payload, 0xA1B2C3D4, &frame, fin);
  return frame;
}

std::vector<WebSocketMessage> FeedAll(WebSocketFrameParser& parser, std::string_view bytes) {
  std::vector<WebSocketMessage> out;
  parser.Feed(bytes, &out);
  return out;
}

TEST(WebSocketFrameParserTest, MaskedTextMessageIsUnmasked) {
  WebSocketFrameParser parser;
  auto out = FeedAll(parser, Masked(WebSocketOpcode::kText, "hello"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].opcode, WebSocketOpcode::kText);
  EXPECT_EQ(out[0].payload, "hello");
  EXPECT_FALSE(parser.failed());
}

TEST(WebSocketFrameParserTest, ByteByByteInputGivesTheSameMessages) {
  const std::string bytes = Masked(WebSocketOpcode::kText, std::string(300, 'x')) +
                            Masked(WebSocketOpcode::kBinary, std::string(70000, 'y'));
  WebSocketFrameParser parser(WebSocketParserLimits{.max_message_bytes = 100000});
  std::vector<WebSocketMessage> out;
  for (char c : bytes) ASSERT_EQ(parser.Feed(std::string_view(&c, 1), &out), 1u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].payload, std::string(300, 'x'));
  EXPECT_EQ(out[1].opcode, WebSocketOpcode::kBinary);
  EXPECT_EQ(out[1].payload.size(), 70000u);
  EXPECT_EQ(parser.buffered_bytes(), 0u);
}

TEST(WebSocketFrameParserTest, UnmaskedClientFrameIsAProtocolError) {
  WebSocketFrameParser parser;
  std::string frame;
  AppendWebSocketFrame(WebSocketOpcode::kText, "hi", &frame);
  EXPECT_TRUE(FeedAll(parser, frame).empty());
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
  EXPECT_NE(parser.error().find("unmasked"), std::string::npos);
}

TEST(WebSocketFrameParserTest, FragmentsAreJoinedWithControlFramesInBetween) {
  WebSocketFrameParser parser;
  const std::string bytes = Masked(WebSocketOpcode::kText, "one ", false) +
                            Masked(WebSocketOpcode::kPing, "p") +
                            Masked(WebSocketOpcode::kContinuation, "two ", false) +
                            Masked(WebSocketOpcode::kContinuation, "three");
  auto out = FeedAll(parser, bytes);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].opcode, WebSocketOpcode::kPing);
  EXPECT_EQ(out[0].payload, "p");
  EXPECT_EQ(out[1].opcode, WebSocketOpcode::kText);
  EXPECT_EQ(out[1].payload, "one two three");
}

TEST(WebSocketFrameParserTest, ContinuationWithoutMessageIsAProtocolError) {
  WebSocketFrameParser parser;
  FeedAll(parser, Masked(WebSocketOpcode::kContinuation, "x"));
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, NewDataFrameInsideFragmentedMessageIsAProtocolError) {
  WebSocketFrameParser parser;
  FeedAll(parser, Masked(WebSocketOpcode::kText, "a", false) + Masked(WebSocketOpcode::kText, "b"));
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, FragmentedControlFrameIsAProtocolError) {
  WebSocketFrameParser parser;
  FeedAll(parser, Masked(WebSocketOpcode::kPing, "a", /*fin=*/false));
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, ControlFrameOver125BytesIsAProtocolError) {
  WebSocketFrameParser parser;
  // Built by hand: the encoder refuses such a frame.
  std::string frame = "\x89\xFE";
  frame += std::string("\x00\x7E", 2);
  frame += std::string(4, '\0') + std::string(126, 'p');
  FeedAll(parser, frame);
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, ReservedBitsAreAProtocolError) {
  WebSocketFrameParser parser;
  std::string frame = Masked(WebSocketOpcode::kText, "x");
  frame[0] = static_cast<char>(frame[0] | 0x40);
  FeedAll(parser, frame);
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, UnknownOpcodeIsAProtocolError) {
  WebSocketFrameParser parser;
  std::string frame = Masked(WebSocketOpcode::kText, "x");
  frame[0] = static_cast<char>(0x83);
  FeedAll(parser, frame);
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
  EXPECT_NE(parser.error().find("opcode 3"), std::string::npos);
}

TEST(WebSocketFrameParserTest, OversizedFrameIsRefusedFromItsHeader) {
  WebSocketFrameParser parser(WebSocketParserLimits{.max_message_bytes = 1000});
  const std::string frame = Masked(WebSocketOpcode::kBinary, std::string(1001, 'z'));
  FeedAll(parser, frame.substr(0, 8));  // header and mask only
  EXPECT_EQ(parser.error_code(), kCloseMessageTooBig);
}

TEST(WebSocketFrameParserTest, FragmentsOverTheLimitTogetherAreTooBig) {
  WebSocketFrameParser parser(WebSocketParserLimits{.max_message_bytes = 1000});
  FeedAll(parser, Masked(WebSocketOpcode::kText, std::string(600, 'a'), false) +
                      Masked(WebSocketOpcode::kContinuation, std::string(600, 'b')));
  EXPECT_EQ(parser.error_code(), kCloseMessageTooBig);
}

TEST(WebSocketFrameParserTest, SixtyFourBitLengthWithTopBitIsAProtocolError) {
  WebSocketFrameParser parser;
  std::string frame = "\x82\xFF";
  frame += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8);
  FeedAll(parser, frame);
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, InvalidUtf8TextIsInvalidPayload) {
  WebSocketFrameParser parser;
  FeedAll(parser, Masked(WebSocketOpcode::kText, "bad \xC3\x28"));
  EXPECT_EQ(parser.error_code(), kCloseInvalidPayload);
}

TEST(WebSocketFrameParserTest, BinaryMayHoldAnyBytes) {
  WebSocketFrameParser parser;
  auto out = FeedAll(parser, Masked(WebSocketOpcode::kBinary, std::string("\xFF\x00\xC3", 3)));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload.size(), 3u);
}

TEST(WebSocketFrameParserTest, CloseFrameGivesCodeAndReasonAndStopsParsing) {
  WebSocketFrameParser parser;
  const std::string close = Masked(WebSocketOpcode::kClose, std::string("\x03\xE8", 2) + "bye");
  const std::string bytes = close + Masked(WebSocketOpcode::kText, "after");
  std::vector<WebSocketMessage> out;
  EXPECT_EQ(parser.Feed(bytes, &out), close.size());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].opcode, WebSocketOpcode::kClose);
  EXPECT_EQ(out[0].close_code, kCloseNormal);
  EXPECT_EQ(out[0].payload, "bye");
  EXPECT_TRUE(parser.closed());
  EXPECT_EQ(parser.Feed(Masked(WebSocketOpcode::kText, "more"), &out), 0u);
}

TEST(WebSocketFrameParserTest, EmptyCloseHasNoStatus) {
  WebSocketFrameParser parser;
  auto out = FeedAll(parser, Masked(WebSocketOpcode::kClose, ""));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].close_code, kCloseNoStatus);
}

TEST(WebSocketFrameParserTest, InvalidCloseCodesAreProtocolErrors) {
  for (const char* payload :
       {"\x03\xED", "\x03\xEE", "\x00\x05", "\x13\x88"}) {  // 1005 1006 5 5000
    WebSocketFrameParser parser;
    FeedAll(parser, Masked(WebSocketOpcode::kClose, std::string(payload, 2)));
    EXPECT_EQ(parser.error_code(), kCloseProtocolError) << static_cast<int>(payload[1]);
  }
  WebSocketFrameParser one_byte;
  FeedAll(one_byte, Masked(WebSocketOpcode::kClose, "x"));
  EXPECT_EQ(one_byte.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameParserTest, FailedParserConsumesNothingMore) {
  WebSocketFrameParser parser;
  FeedAll(parser, Masked(WebSocketOpcode::kContinuation, "x"));
  ASSERT_TRUE(parser.failed());
  std::vector<WebSocketMessage> out;
  EXPECT_EQ(parser.Feed(Masked(WebSocketOpcode::kText, "ok"), &out), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(parser.error_code(), kCloseProtocolError);
}

TEST(WebSocketFrameEncoderTest, ServerFramesRoundTripAtEveryLengthForm) {
  for (size_t size : {0u, 125u, 126u, 65535u, 65536u}) {
    std::string frame;
    AppendWebSocketFrame(WebSocketOpcode::kBinary, std::string(size, 'q'), &frame);
    EXPECT_EQ(frame.size(), size + (size < 126 ? 2 : size <= 65535 ? 4 : 10));
    WebSocketFrameParser client(
        WebSocketParserLimits{.max_message_bytes = 1 << 20, .require_mask = false});
    std::vector<WebSocketMessage> out;
    client.Feed(frame, &out);
    ASSERT_EQ(out.size(), 1u) << size;
    EXPECT_EQ(out[0].payload.size(), size);
  }
}

TEST(WebSocketFrameEncoderTest, CloseReasonIsCutAtACharacterBoundary) {
  std::string reason(122, 'r');
  reason += "\xC3\xA9";  // 'é' straddles byte 123
  const std::string frame = EncodeCloseFrame(kClosePolicyViolation, reason);
  WebSocketFrameParser client(WebSocketParserLimits{.require_mask = false});
  std::vector<WebSocketMessage> out;
  client.Feed(frame, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].close_code, kClosePolicyViolation);
  EXPECT_EQ(out[0].payload, std::string(122, 'r'));
}

}  // namespace
}  // namespace silt::http
