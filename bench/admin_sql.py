#!/usr/bin/env python3
"""Runs one admin statement that answers with an OK packet (SWITCH TRAFFIC, CREATE WORKFLOW, ...) on the gateway.

    admin_sql.py PORT 'SWITCH TRAFFIC FOR WORKFLOW wf'

Prints "<start_ns>\t<end_ns>\t<info>" (wall-clock ns around the COM_QUERY round trip, after the handshake) and exits 0
on OK; prints the ERR packet and exits 1 otherwise. User root, no password, no TLS: the demo's admin.

Why not the mariadb client: the gateway writes the info text of its own OK packets as string<EOF> when the client did
not negotiate CLIENT_SESSION_TRACK, while MariaDB (10.11, checked) writes a length-encoded string there in that case
too and libmariadb reads it so; the client then fails with ERROR 2027 "Received malformed packet" after the command
has run. This client accepts both encodings.
"""
import socket
import struct
import sys
import time

CLIENT_LONG_PASSWORD = 0x1
CLIENT_PROTOCOL_41 = 0x200
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_PLUGIN_AUTH = 0x80000


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)

    def read(self):
        header = self._exactly(4)
        length = header[0] | header[1] << 8 | header[2] << 16
        return header[3], self._exactly(length)

    def write(self, sequence, payload):
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([sequence]) + payload)

    def _exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the gateway closed the connection")
            data += chunk
        return data


def lenenc(data, pos):
    first = data[pos]
    if first < 0xFB:
        return first, pos + 1
    size = {0xFC: 2, 0xFD: 3, 0xFE: 8}[first]
    return int.from_bytes(data[pos + 1:pos + 1 + size], "little"), pos + 1 + size


def error_text(packet):
    code = struct.unpack("<H", packet[1:3])[0]
    state = packet[4:9].decode() if packet[3:4] == b"#" else ""
    message = packet[9:] if state else packet[3:]
    return "ERROR %d (%s): %s" % (code, state, message.decode(errors="replace"))


def ok_info(packet):
    _, pos = lenenc(packet, 1)  # affected rows
    _, pos = lenenc(packet, pos)  # last insert id
    rest = packet[pos + 4:]  # status, warnings
    if rest and rest[0] == len(rest) - 1:  # length-encoded, as MariaDB writes it
        rest = rest[1:]
    return rest.decode(errors="replace")


def main():
    port, sql = int(sys.argv[1]), sys.argv[2]
    conn = Connection(port)
    conn.read()  # greeting; root has no password, so the scramble is not needed
    caps = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION \
        | CLIENT_PLUGIN_AUTH
    conn.write(1, struct.pack("<IIB23x", caps, 1 << 24, 45) + b"root\0" + b"\0" + b"mysql_native_password\0")
    sequence, packet = conn.read()
    if packet[0] == 0xFE:  # auth switch: an empty password answers any plugin
        conn.write(sequence + 1, b"")
        sequence, packet = conn.read()
    if packet[0] != 0x00:
        print("login failed: " + error_text(packet), file=sys.stderr)
        return 1
    started = time.time_ns()
    conn.write(0, b"\x03" + sql.encode())
    _, packet = conn.read()
    ended = time.time_ns()
    if packet[0] == 0xFF:
        print("%d\t%d\t%s" % (started, ended, error_text(packet)))
        return 1
    if packet[0] != 0x00:
        print("%d\t%d\tunexpected reply (a result set?) starting 0x%02x" % (started, ended, packet[0]))
        return 1
    print("%d\t%d\t%s" % (started, ended, ok_info(packet)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
