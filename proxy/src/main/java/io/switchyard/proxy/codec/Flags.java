package io.switchyard.proxy.codec;

import java.util.List;

/** Renders bit sets as names joined with {@code |} for logs; bit i is named by {@code names.get(i)}. */
final class Flags {
    private Flags() {
    }

    static String render(long bits, List<String> names) {
        if (bits == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        long unknown = 0;
        for (int bit = 0; bit < 64; bit++) {
            long flag = 1L << bit;
            if ((bits & flag) == 0) {
                continue;
            }
            if (bit < names.size() && names.get(bit) != null) {
                out.append(out.length() == 0 ? "" : "|").append(names.get(bit));
            } else {
                unknown |= flag;
            }
        }
        if (unknown != 0) {
            out.append(out.length() == 0 ? "" : "|").append("0x").append(Long.toHexString(unknown));
        }
        return out.toString();
    }
}
