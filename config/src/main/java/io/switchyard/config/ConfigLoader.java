package io.switchyard.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a Switchyard YAML config into a validated {@link SwitchyardConfig}. Loading happens once at startup; every
 * failure is a {@link ConfigException} listing all problems found, each as {@code <key path>: <problem>}.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads a file, resolving {@code ${env:NAME}} placeholders from the process environment. */
    public static SwitchyardConfig load(Path file) {
        return load(file, PlaceholderResolver.environment());
    }

    /** Loads a file with the given placeholder resolver. */
    public static SwitchyardConfig load(Path file, PlaceholderResolver resolver) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), "is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the config file (" + e + ")", e);
        }
        return parse(text, resolver);
    }

    /**
     * Parses YAML text: syntax first (a syntax error stops here, as nothing after it can be trusted), then placeholder
     * substitution, then binding and validation, whose problems are reported together.
     */
    public static SwitchyardConfig parse(String yamlText, PlaceholderResolver resolver) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(resolver, "resolver");
        YamlNode root = YamlTree.parse(yamlText);
        Problems problems = new Problems();
        YamlNode resolved = root == null ? null : Placeholders.substitute(root, resolver, problems);
        SwitchyardConfig config = ConfigBinder.bind(resolved, problems);
        problems.throwIfAny();
        return config;
    }
}
