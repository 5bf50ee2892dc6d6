/**
 * The connection phase (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html):
 * greeting, SSL request, handshake response, auth switch and auth more data. The gateway speaks both sides: server
 * towards applications, client towards backends.
 */
package io.switchyard.proxy.packet.handshake;
