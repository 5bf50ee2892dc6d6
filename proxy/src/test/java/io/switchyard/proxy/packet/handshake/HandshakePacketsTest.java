package io.switchyard.proxy.packet.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchyard.proxy.packet.RoundTrip.encode;
import static io.switchyard.proxy.packet.RoundTrip.golden;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection-phase packets against the MySQL documentation's captures and hand-built MySQL 8 / MariaDB ones. */
class HandshakePacketsTest {
    private static final long ALL_MYSQL = 0xFFFFFFFFL;
    private static final byte[] SEED = "abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII);

    private static HandshakeV10 readGreeting(String hex) {
        ByteBuf buf = Hex.buf(hex);
        try {
            return HandshakeV10.read(new PacketReader(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void greetingFromTheDocumentation() {
        // page_protocol_connection_phase_packets_protocol_handshake_v10, MySQL 5.5.2 without CLIENT_PLUGIN_AUTH.
        String hex = "0a 352e352e322d6d3200 0b000000 64764840492d434a 00 fff7 08 0200 0000 00 00000000000000000000"
                + " 2a34647c635a776b345e5d3a00";
        HandshakeV10 expected = new HandshakeV10("5.5.2-m2", 11, "dvH@I-CJ*4d|cZwk4^]:".getBytes(), 0xF7FF,
                Collations.LATIN1_SWEDISH_CI, 2, null);
        golden(hex, expected, 0, (r, c) -> HandshakeV10.read(r));
    }

    @Test
    void greetingOfMySql8() {
        String hex = "0a 382e302e333600 2a000000 6162636465666768 00 ffff ff 0200 ffdf 15 00000000000000000000"
                + " 696a30313233343536373839 00 63616368696e675f736861325f70617373776f726400";
        HandshakeV10 expected = new HandshakeV10("8.0.36", 42, SEED, 0xDFFFFFFFL, Collations.UTF8MB4_0900_AI_CI, 2,
                "caching_sha2_password");
        golden(hex, expected, 0, (r, c) -> HandshakeV10.read(r));
    }

    @Test
    void greetingOfMariaDbCarriesExtendedCapabilities() {
        String hex = "0a " + Hex.hex("5.5.5-10.11.6-MariaDB".getBytes()) + "00 07000000 6162636465666768 00 fef7 2d"
                + " 0200 ff81 15 000000000000 1d000000 696a30313233343536373839 00"
                + Hex.hex("mysql_native_password".getBytes()) + "00";
        HandshakeV10 greeting = readGreeting(hex);
        assertFalse(Capabilities.has(greeting.capabilities(), Capabilities.CLIENT_MYSQL));
        assertTrue(Capabilities.has(greeting.capabilities(), Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS));
        assertEquals(0x81FFF7FEL | 0x1DL << 32, greeting.capabilities());
        assertArrayEquals(SEED, greeting.authPluginData());
        golden(hex, greeting, 0, (r, c) -> HandshakeV10.read(r));
    }

    @Test
    void gatewayGreetingRoundTrips() {
        HandshakeV10 greeting = new HandshakeV10("8.0.36-switchyard", 0xFFFFFFFFL, SEED,
                Capabilities.GATEWAY_SERVER_DEFAULT | Capabilities.CLIENT_SSL, Collations.UTF8MB4_GENERAL_CI, 2,
                "mysql_native_password");
        String hex = encode(greeting, 0, (r, c) -> HandshakeV10.read(r));
        assertTrue(hex.startsWith("0a"));
        assertEquals(1 + 18 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 13 + 22, hex.length() / 2);
    }

    @Test
    void greetingWithOverlongAuthDataIsMalformed() {
        String hex = "0a 00 01000000 6162636465666768 00 0082 08 0200 0800 ff 00000000000000000000" + "61".repeat(247);
        assertEquals(1835, assertThrows(ProtocolException.class, () -> readGreeting(hex)).errorCode());
    }

    @Test
    void greetingWithWrongProtocolVersionIsABadHandshake() {
        assertEquals(1043, assertThrows(ProtocolException.class, () -> readGreeting("09 00")).errorCode());
    }

    @Test
    void responseFromTheDocumentation() {
        // page_protocol_connection_phase_packets_protocol_handshake_response, a 5.5 client logging in as "pam".
        String hex = "8da60f00 00000001 08 0000000000000000000000000000000000000000000000 70616d00"
                + " 14 ab09eef6bcb1323e61143865c0991d957d75d447 7465737400"
                + " 6d7973716c5f6e61746976655f70617373776f726400";
        HandshakeResponse41 expected = new HandshakeResponse41(0x000FA68DL, 1 << 24, 8, "pam",
                Hex.bytes("ab09eef6bcb1323e61143865c0991d957d75d447"), "test", "mysql_native_password", Map.of());
        golden(hex, expected, ALL_MYSQL, HandshakeResponse41::read);
    }

    @Test
    void responseWithLenencAuthDataAndConnectAttributes() {
        String hex = "05a23a01 ffffff00 ff 0000000000000000000000000000000000000000000000 61707000"
                + " 14 0102030405060708090a0b0c0d0e0f1011121314"
                + " 63616368696e675f736861325f70617373776f726400"
                + " 20 0c5f636c69656e745f6e616d65 086c69626d7973716c 035f6f73 054c696e7578";
        long caps = 0x013AA205L;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("_client_name", "libmysql");
        attributes.put("_os", "Linux");
        HandshakeResponse41 expected = new HandshakeResponse41(caps, 0xFFFFFF, 255, "app",
                Hex.bytes("0102030405060708090a0b0c0d0e0f1011121314"), null, "caching_sha2_password",
                attributes);
        HandshakeResponse41 read = golden(hex, expected, ALL_MYSQL, HandshakeResponse41::read);
        assertEquals(List.of("_client_name", "_os"), List.copyOf(read.connectAttributes().keySet()));
    }

    @Test
    void responseFieldsFollowTheIntersectionWithTheServer() {
        // The client asks for LENENC client data, but a server that did not offer it reads a 1-byte length.
        long client = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
        long server = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION;
        HandshakeResponse41 response = new HandshakeResponse41(client | Capabilities.CLIENT_MYSQL, 0, 45, "u",
                new byte[256], null, null, Map.of());
        assertThrows(IllegalStateException.class, () -> encode(response, server,
                HandshakeResponse41::read));
        HandshakeResponse41 small = new HandshakeResponse41(client | Capabilities.CLIENT_MYSQL, 0, 45, "u",
                new byte[20], null, null, Map.of());
        assertTrue(encode(small, server, HandshakeResponse41::read).contains("7500" + "14"));
    }

    @Test
    void responseOfMariaDbClientCarriesExtendedCapabilities() {
        long caps = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
                | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
        HandshakeResponse41 response = new HandshakeResponse41(caps, 0, 45, "u", new byte[0], null, null, Map.of());
        String hex = encode(response, -1L, HandshakeResponse41::read);
        assertEquals("00820000" + "00000000" + "2d" + "00".repeat(19) + "04000000" + "7500" + "00", hex);
    }

    @Test
    void missingTrailingFieldsAreToleratedAsAbsent() {
        // CONNECT_WITH_DB and PLUGIN_AUTH flagged, but the packet ends after the auth response.
        String hex = "08820800 00000001 2d 0000000000000000000000000000000000000000000000 7500 00";
        ByteBuf buf = Hex.buf(hex);
        try {
            HandshakeResponse41 response = HandshakeResponse41.read(new PacketReader(buf), ALL_MYSQL);
            assertNull(response.database());
            assertNull(response.authPluginName());
            assertEquals(0, response.authResponse().length);
        } finally {
            buf.release();
        }
    }

    @Test
    void pre41ClientsAreRefused() {
        ByteBuf buf = Hex.buf("85a40300 00000001 08 0000000000000000000000000000000000000000000000 7500 00");
        try {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> HandshakeResponse41.read(new PacketReader(buf), ALL_MYSQL));
            assertEquals(1251, e.errorCode());
        } finally {
            buf.release();
        }
    }

    @Test
    void sslRequestIsTheFirst32Bytes() {
        String hex = "05aa3a01 ffffff00 ff 0000000000000000000000000000000000000000000000";
        golden(hex, new SslRequest(0x013AAA05L, 0xFFFFFF, 255), 0, SslRequest::read);
        ByteBuf buf = Hex.buf(hex);
        ByteBuf full = new HandshakeResponse41(0x013AAA05L, 0xFFFFFF, 255, "", new byte[0], null, null, Map.of())
                .encode(UnpooledByteBufAllocator.DEFAULT, ALL_MYSQL);
        try {
            assertTrue(HandshakeResponse41.isSslRequest(buf));
            assertFalse(HandshakeResponse41.isSslRequest(full));
        } finally {
            buf.release();
            full.release();
        }
    }

    @Test
    void authSwitchRequestCarriesPluginAndNulTerminatedSeed() {
        String hex = "fe 6d7973716c5f6e61746976655f70617373776f726400 6162636465666768696a30313233343536373839 00";
        AuthSwitchRequest request = AuthSwitchRequest.withSeed("mysql_native_password", SEED);
        golden(hex, request, ALL_MYSQL, AuthSwitchRequest::read);
        assertArrayEquals(SEED, request.seed());
        ByteBuf old = Hex.buf("fe");
        try {
            assertEquals(AuthSwitchRequest.OLD_PASSWORD_PLUGIN,
                    AuthSwitchRequest.read(new PacketReader(old), 0).pluginName());
        } finally {
            old.release();
        }
    }

    @Test
    void authMoreDataCarriesPluginBytes() {
        golden("01 03", AuthMoreData.of(0x03), ALL_MYSQL, AuthMoreData::read);
        golden("01 2d2d2d", new AuthMoreData("---".getBytes()), ALL_MYSQL, AuthMoreData::read);
    }
}
