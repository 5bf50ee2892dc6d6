/** Packets that can answer any command: OK, ERR, EOF, LOCAL INFILE request, and first-byte classification. */
package io.switchyard.proxy.packet.generic;
