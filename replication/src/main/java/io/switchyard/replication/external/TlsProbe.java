package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Looks at an external server's TLS as far as the handshake, without logging in: reads the MySQL greeting, sends
 * an SSLRequest, completes the TLS handshake accepting any certificate, then checks the certificate it was shown
 * with {@link CertificateCheck}. The connector uses it to say why a verified connection failed, and to check the
 * certificate against {@code SSL SERVER NAME}, which MariaDB Connector/J cannot do itself.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html">SSLRequest</a>
 */
final class TlsProbe {
    private static final int CLIENT_LONG_PASSWORD = 0x1;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SSL = 0x800;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int UTF8MB4_GENERAL_CI = 45;

    /** What the probe saw: whether the server offers TLS, the negotiated protocol, and the certificate's problem. */
    record Result(boolean offered, String protocol, Optional<String> problem) {
    }

    private TlsProbe() {
    }

    /**
     * Probes {@code host:port}.
     *
     * @param expectedName the name the certificate must carry, or empty to check only its CA
     * @throws IOException if the server cannot be reached or the TLS handshake fails for another reason than the
     *     certificate (e.g. no common protocol version)
     */
    static Result probe(String host, int port, Optional<String> caPem, Optional<String> expectedName,
                        List<String> protocols, Duration timeout) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] greeting = readPacket(in);
            if ((greeting[0] & 0xff) == 0xff) {
                throw new IOException("the server refused the connection: " + errorText(greeting));
            }
            if (!offersTls(greeting)) {
                return new Result(false, "", Optional.empty());
            }
            OutputStream out = socket.getOutputStream();
            out.write(sslRequest());
            out.flush();
            AtomicReference<Seen> seen = new AtomicReference<>();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Recorder(seen)}, new SecureRandom());
            String sniName = expectedName.filter(n -> !n.matches("[0-9.]+|.*:.*")).orElse(host);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, sniName, port, false)) {
                tls.setEnabledProtocols(supported(tls, protocols));
                if (!sniName.matches("[0-9.]+|.*:.*")) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(sniName)));
                    tls.setSSLParameters(parameters);
                }
                try {
                    tls.startHandshake();
                } catch (SSLException e) {
                    if (seen.get() == null) {
                        throw new IOException("the TLS handshake failed before the server showed a certificate"
                                + " (TLS versions tried: " + String.join(", ", protocols) + "): " + e.getMessage(), e);
                    }
                }
                Seen shown = seen.get();
                Optional<String> problem = shown == null ? Optional.of("the server showed no certificate")
                        : CertificateCheck.of(caPem).problem(shown.chain(), shown.authType(), expectedName);
                return new Result(true, tls.getSession().getProtocol(), problem);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The mode's identity check: the server name override, else the host connected to. */
    static Optional<String> expectedName(BackendTls.Mode mode, String host, Optional<String> serverName) {
        return mode == BackendTls.Mode.VERIFY_IDENTITY ? Optional.of(serverName.orElse(host)) : Optional.empty();
    }

    private static String[] supported(SSLSocket socket, List<String> wanted) {
        List<String> available = List.of(socket.getSupportedProtocols());
        String[] enabled = wanted.stream().filter(available::contains).toArray(String[]::new);
        if (enabled.length == 0) {
            throw new IllegalArgumentException("this JVM supports none of " + wanted);
        }
        return enabled;
    }

    private static byte[] readPacket(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte(); // sequence id
        if (length < 1 || length > 1 << 16) {
            throw new IOException("the server did not answer with a MySQL greeting (packet of " + length + " bytes)");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /** HandshakeV10: protocol version, NUL-terminated server version, thread id, 8 bytes of salt, a filler, flags. */
    private static boolean offersTls(byte[] greeting) throws IOException {
        int i = 1;
        while (i < greeting.length && greeting[i] != 0) {
            i++;
        }
        int flags = i + 1 + 4 + 8 + 1;
        if (flags + 2 > greeting.length) {
            throw new IOException("the server's greeting is too short to be MySQL's");
        }
        int capabilities = (greeting[flags] & 0xff) | (greeting[flags + 1] & 0xff) << 8;
        return (capabilities & CLIENT_SSL) != 0;
    }

    private static String errorText(byte[] error) {
        int start = error.length > 3 && error[3] == '#' ? 9 : 3;
        return new String(error, Math.min(start, error.length), Math.max(0, error.length - start),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] sslRequest() {
        byte[] packet = new byte[4 + 32];
        packet[0] = 32; // payload length, 3 bytes little-endian
        packet[3] = 1;  // sequence id: the greeting was 0
        int capabilities = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION;
        putInt(packet, 4, capabilities);
        putInt(packet, 8, 1 << 24); // max packet size
        packet[12] = UTF8MB4_GENERAL_CI;
        return packet; // 23 bytes of filler stay zero
    }

    private static void putInt(byte[] buffer, int at, int value) {
        for (int i = 0; i < 4; i++) {
            buffer[at + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Accepts any certificate and keeps it: the probe judges it afterwards, so that it can say what is wrong. */
    private record Seen(X509Certificate[] chain, String authType) {
    }

    private record Recorder(AtomicReference<Seen> seen) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client does not check clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.set(new Seen(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
