package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.resultset.BinaryValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * COM_STMT_EXECUTE (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html),
 * decoded far enough to re-encode it toward a backend under another statement id, or with the parameter types
 * re-sent to a backend that prepared the statement afresh.
 *
 * <p>When the client sends new-params-bound = 0 it relies on the types of its previous execute; {@link #read} then
 * takes them from {@code previousTypes}, so {@link #paramTypes()} is always complete and the session should keep
 * them for the next execute. {@code values} has one element per parameter, {@code null} for NULL, with the Java
 * types of {@link BinaryValues}. For plain relaying prefer {@link StatementIds#rewrite}, which patches the id in
 * place without decoding.
 *
 * <p>Not supported: parameters already sent with COM_STMT_SEND_LONG_DATA (their values are absent from the packet,
 * so decoding misreads; relay such executes undecoded) and CLIENT_QUERY_ATTRIBUTES, which the gateway never
 * negotiates.
 *
 * @param flags cursor type and flags: 0 none, {@link #CURSOR_TYPE_READ_ONLY}, ...
 */
public record StmtExecute(long statementId, int flags, long iterationCount, boolean newParamsBound,
        List<ParamType> paramTypes, List<Object> values) implements MySqlPacket {
    public static final int CURSOR_TYPE_NO_CURSOR = 0;
    public static final int CURSOR_TYPE_READ_ONLY = 1;
    public static final int CURSOR_TYPE_FOR_UPDATE = 2;
    public static final int CURSOR_TYPE_SCROLLABLE = 4;
    public static final int PARAMETER_COUNT_AVAILABLE = 8;

    public StmtExecute {
        paramTypes = List.copyOf(paramTypes);
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (paramTypes.size() != values.size()) {
            throw new IllegalArgumentException(paramTypes.size() + " parameter types for " + values.size()
                    + " values");
        }
        if (statementId < 0 || statementId > 0xFFFFFFFFL || flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("statement id must fit in int<4> and flags in int<1>, were "
                    + statementId + " and " + flags);
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                BinaryValues.length(paramTypes.get(i).type(), values.get(i));
            }
        }
    }

    public StmtExecute withStatementId(long id) {
        return new StmtExecute(id, flags, iterationCount, newParamsBound, paramTypes, values);
    }

    /** The same execute with new-params-bound set or cleared, e.g. set for a backend that has not seen the types. */
    public StmtExecute withNewParamsBound(boolean bound) {
        return new StmtExecute(statementId, flags, iterationCount, bound, paramTypes, values);
    }

    /**
     * @param paramCount the statement's parameter count, from its COM_STMT_PREPARE_OK
     * @param previousTypes the types of the statement's previous execute, used when the client does not resend them
     *     (empty if none yet)
     * @throws io.switchyard.proxy.codec.ProtocolException ER_WRONG_ARGUMENTS if the client omits types it never sent
     */
    public static StmtExecute read(PacketReader r, long capabilities, int paramCount, List<ParamType> previousTypes) {
        if (Capabilities.has(capabilities, Capabilities.CLIENT_QUERY_ATTRIBUTES)) {
            throw new UnsupportedOperationException("COM_STMT_EXECUTE with CLIENT_QUERY_ATTRIBUTES");
        }
        int command = r.int1();
        if (command != CommandType.COM_STMT_EXECUTE.code()) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("COM_STMT_EXECUTE starts with 0x"
                    + Integer.toHexString(command));
        }
        long statementId = r.int4();
        int flags = r.int1();
        long iterationCount = r.int4();
        if (paramCount == 0) {
            return new StmtExecute(statementId, flags, iterationCount, false, List.of(), List.of());
        }
        byte[] nullBitmap = r.fixedBytes((paramCount + 7) / 8);
        boolean newParamsBound = r.int1() == 1;
        List<ParamType> types;
        if (newParamsBound) {
            types = new ArrayList<>(paramCount);
            for (int i = 0; i < paramCount; i++) {
                ColumnType type = ColumnType.fromCode(r.int1());
                types.add(new ParamType(type, (r.int1() & ParamType.UNSIGNED_FLAG) != 0));
            }
        } else if (previousTypes.size() == paramCount) {
            types = previousTypes;
        } else {
            throw MySqlError.ER_WRONG_ARGUMENTS.exception("mysqld_stmt_execute");
        }
        List<Object> values = new ArrayList<>(paramCount);
        for (int i = 0; i < paramCount; i++) {
            boolean isNull = (nullBitmap[i / 8] & (1 << (i % 8))) != 0;
            ParamType type = types.get(i);
            values.add(isNull ? null : BinaryValues.read(r, type.type(), type.unsigned()));
        }
        return new StmtExecute(statementId, flags, iterationCount, newParamsBound, types, values);
    }

    @Override
    public int length(long capabilities) {
        int length = 1 // command
                + 4 // statement id
                + 1 // flags
                + 4; // iteration count
        if (values.isEmpty()) {
            return length;
        }
        length += (values.size() + 7) / 8 // NULL bitmap
                + 1; // new-params-bound flag
        if (newParamsBound) {
            length += 2 * paramTypes.size(); // type, flags
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                length += BinaryValues.length(paramTypes.get(i).type(), values.get(i));
            }
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_STMT_EXECUTE.code()).int4(statementId).int1(flags).int4(iterationCount);
        if (values.isEmpty()) {
            return;
        }
        byte[] nullBitmap = new byte[(values.size() + 7) / 8];
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                nullBitmap[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        w.bytes(nullBitmap).int1(newParamsBound ? 1 : 0);
        if (newParamsBound) {
            for (ParamType type : paramTypes) {
                w.int1(type.type().code()).int1(type.unsigned() ? ParamType.UNSIGNED_FLAG : 0);
            }
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                BinaryValues.write(w, paramTypes.get(i).type(), values.get(i));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StmtExecute other && statementId == other.statementId && flags == other.flags
                && iterationCount == other.iterationCount && newParamsBound == other.newParamsBound
                && paramTypes.equals(other.paramTypes) && Arrays.deepEquals(values.toArray(), other.values.toArray());
    }

    @Override
    public int hashCode() {
        return Objects.hash(statementId, flags, iterationCount, newParamsBound, paramTypes)
                * 31 + Arrays.deepHashCode(values.toArray());
    }
}
