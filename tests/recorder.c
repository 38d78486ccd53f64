/* The recorder: stands in for the real shell in the test suite and runs nothing.
 *
 * It writes what it was given into $SHELLGATE_RECORDER_DIR:
 *   argv   every argument, argv[0] included, each followed by a NUL byte
 *   cwd    the working directory
 *   stdin  every byte of standard input
 *   env    the environment, each entry followed by a NUL byte
 * then exits 0. It is C, compiled by the harness with the system `cc`, because a `#!` script
 * never sees argv[0]: the kernel replaces it with the interpreter's path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static FILE *open_out(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(99);
    }
    return f;
}

static void write_list(const char *dir, const char *name, char **items, int count) {
    FILE *f = open_out(dir, name);
    for (int i = 0; count < 0 ? items[i] != NULL : i < count; i++) {
        fwrite(items[i], 1, strlen(items[i]) + 1, f);
    }
    fclose(f);
}

int main(int argc, char **argv) {
    const char *dir = getenv("SHELLGATE_RECORDER_DIR");
    if (!dir) {
        fputs("recorder: SHELLGATE_RECORDER_DIR is not set\n", stderr);
        return 99;
    }

    FILE *in = open_out(dir, "stdin");
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        fwrite(buf, 1, n, in);
    }
    fclose(in);

    FILE *cwd = open_out(dir, "cwd");
    if (getcwd(buf, sizeof buf)) {
        fputs(buf, cwd);
    }
    fclose(cwd);

    write_list(dir, "env", environ, -1);
    /* Written last: its presence means the recorder ran to the end. */
    write_list(dir, "argv", argv, argc);
    return 0;
}
