/**
 * Command-phase requests (dispatch on {@code CommandType.fromCode(packet.header())}, then read the matching record)
 * and the prepared-statement packets: COM_STMT_PREPARE_OK, COM_STMT_EXECUTE and in-place statement id rewriting for
 * relaying.
 */
package io.switchyard.proxy.packet.command;
