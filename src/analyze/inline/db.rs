//! Database clients: the SQL (or Redis/Mongo/Cassandra/Influx commands) given on the command line
//! or in files, e.g. `psql -c`, `mysql -e`, `sqlite3 db "SQL"`, `redis-cli FLUSHALL`.

use super::Out;
use super::opts::{Item, Spec, operands, scan};
use crate::analyze::command::{Arg, Command};

/// Add the payloads of `cmd` when it is a database client; false when it is not one.
pub(super) fn payloads(cmd: &Command, out: &mut Out) -> bool {
    let args = &cmd.args[..];
    let sub = |n: usize| args.get(n).map(|a| a.text.as_str());
    match cmd.program.as_str() {
        "psql" | "usql" => psql(args, out),
        "mysql" | "mariadb" | "mycli" | "mysqlsh" => mysql(args, out),
        "sqlite3" | "sqlite" | "litecli" => sqlite(args, out),
        "duckdb" => duckdb(args, out),
        "sqlcmd" => sqlcmd(args, out),
        "clickhouse-client" | "clickhouse-local" => clickhouse(args, out),
        "clickhouse" if matches!(sub(0), Some("client" | "local")) => clickhouse(&args[1..], out),
        "cockroach" if matches!(sub(0), Some("sql" | "demo")) => cockroach(&args[1..], out),
        "mongosh" | "mongo" => mongo(args, out),
        "redis-cli" | "valkey-cli" | "keydb-cli" => redis(args, out),
        "influx" => influx(args, out),
        "cqlsh" => cqlsh(args, out),
        "snowsql" => snowsql(args, out),
        "bq" => bq(args, out),
        "turso" if sub(0) == Some("db") && sub(1) == Some("shell") => turso(&args[2..], out),
        "wrangler" if sub(0) == Some("d1") && sub(1) == Some("execute") => {
            wrangler(&args[2..], out)
        }
        "heroku" if sub(0) == Some("pg:psql") => psql(&args[1..], out),
        "gcloud" | "aws" => cloud_sql(args, out),
        _ => return false,
    }
    true
}

fn psql(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -c --command -f --file -d --dbname -h --host -p --port -U --username -v --set \
            --variable -o --output -L --log-file -P --pset -F --field-separator -R \
            --record-separator -T --table-attr -a --app",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-c --command", "-f --file");
}

fn mysql(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -e --execute -h --host -u --user -P --port -D --database -S --socket \
            --default-character-set --login-path --protocol",
        attached: "-p",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-e --execute", "");
}

/// `sqlite3 [OPTIONS] DB [SQL]...`: every operand after the database is run as SQL.
fn sqlite(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -cmd --cmd -init --init -separator --separator -newline --newline -nullvalue \
            --nullvalue -vfs --vfs -maxsize --maxsize -mmap --mmap -heap --heap -escape \
            --escape",
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "-cmd --cmd", "-init --init");
    for sql in operands(&items).into_iter().skip(1) {
        out.operand(sql);
    }
}

/// `duckdb [OPTIONS] [DB] [SQL]`, `-c SQL`, `-cmd SQL`, `-s SQL`, `-init FILE`, `-f FILE`.
fn duckdb(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "-c -cmd -s -init -f -separator -nullvalue -newline",
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "-c -cmd -s", "-init -f");
    for sql in operands(&items).into_iter().skip(1) {
        out.operand(sql);
    }
}

/// `sqlcmd -Q SQL`, `-q SQL`, `-i a.sql[,b.sql]`.
fn sqlcmd(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -Q -q --query -i --input-file -S --server -U --user-name -P --password -d \
            --database-name -H -l -t -h -s -w -a -c -f -v -o -m -V -A -z -Z",
        attach_short: true,
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "-Q -q --query", "");
    for item in &items {
        if let Item::Opt(name, Some(files)) = item
            && (name == "-i" || name == "--input-file")
        {
            files.split(',').for_each(|file| out.file(file.trim()));
        }
    }
}

fn clickhouse(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -q --query --queries-file -h --host --port -u --user --password -d --database -f \
            --format -C --config-file --structure -S --input-format --output-format --file \
            -F --table -N",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-q --query", "--queries-file");
}

fn cockroach(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -e --execute -f --file --url -d --database -u --user --host --port --certs-dir \
            --format --set",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-e --execute", "-f --file");
}

/// `mongosh [URI] [--eval JS]... [script.js]...`.
fn mongo(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            --eval -f --file --host --port -u --username -p --password \
            --authenticationDatabase --authenticationMechanism --tlsCAFile \
            --tlsCertificateKeyFile --apiVersion --db --awsAccessKeyId --awsSecretAccessKey \
            --awsSessionToken",
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "--eval", "-f --file");
    for operand in operands(&items) {
        if operand.ends_with(".js") || operand.ends_with(".mongodb") {
            out.file(operand);
        }
    }
}

/// `redis-cli [OPTIONS] COMMAND ARGS...`: the command words joined with spaces.
fn redis(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -h -p -s -a -u -r -i -n -d -D -t --user --pass --cacert --cacertdir --cert --key \
            --sni --tls-ciphers --tls-ciphersuites --rdb --functions-rdb --pattern --count \
            --quoted-pattern --memkeys-samples --eval --cluster --lru-test \
            --intrinsic-latency --pipe-timeout",
        options_first: true,
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "", "--eval");
    let words = operands(&items);
    if !words.is_empty() {
        out.operand(words.join(" "));
    }
}

/// influx 1.x `-execute QUERY`, influx 2.x `influx query FLUX` / `-f FILE`.
fn influx(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -execute --execute -database --database -host --host -port -username -password \
            -format -precision -import -path -f --file -o --org --org-id -t --token -c \
            --active-config",
        ..Spec::default()
    };
    let items = scan(args, &spec);
    out.options(&items, "-execute --execute", "");
    let words = operands(&items);
    if words.first() == Some(&"query") {
        out.options(&items, "", "-f --file");
        words[1..].iter().for_each(|flux| out.operand(*flux));
    }
}

fn cqlsh(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -e --execute -f --file -u --username -p --password -k --keyspace --cqlshrc \
            --cqlversion --encoding --connect-timeout --request-timeout -b \
            --secure-connect-bundle",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-e --execute", "-f --file");
}

fn snowsql(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "\
            -q --query -f --filename -a --accountname -u --username -d --dbname -s \
            --schemaname -r --rolename -w --warehouse -c --connection -o --option -D \
            --variable --config",
        clusters: true,
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "-q --query", "-f --filename");
}

/// `bq [GLOBAL FLAGS] query [FLAGS] SQL...`: bq joins the operands into one query.
fn bq(args: &[Arg], out: &mut Out) {
    let Some(at) = args.iter().position(|a| a.text == "query") else {
        return;
    };
    if args[..at].iter().any(|a| !a.text.starts_with('-')) {
        return;
    }
    let spec = Spec {
        valued: "\
            --destination_table --parameter --max_rows -n --format --location --project_id \
            --dataset_id --label --job_id --maximum_bytes_billed --display_name \
            --target_dataset --schedule --destination_kms_key --time_partitioning_field \
            --time_partitioning_type --clustering_fields --range_partitioning \
            --schema_update_option --external_table_definition --udf_resource --session_id \
            --connection_property",
        ..Spec::default()
    };
    let sql = operands(&scan(&args[at + 1..], &spec)).join(" ");
    if !sql.is_empty() {
        out.operand(sql);
    }
}

/// `turso db shell [FLAGS] DB [SQL]`.
fn turso(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "--instance --location --proxy",
        ..Spec::default()
    };
    for sql in operands(&scan(args, &spec)).into_iter().skip(1) {
        out.operand(sql);
    }
}

/// `wrangler d1 execute DB --command SQL | --file FILE`.
fn wrangler(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "--command --file --env -e --config -c --persist-to",
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "--command", "--file");
}

/// `gcloud spanner databases execute-sql DB --sql=SQL`, `aws rds-data execute-statement --sql SQL`,
/// `aws dynamodb execute-statement --statement PARTIQL`.
fn cloud_sql(args: &[Arg], out: &mut Out) {
    let spec = Spec {
        valued: "--sql --statement",
        ..Spec::default()
    };
    out.options(&scan(args, &spec), "--sql --statement", "");
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn sql_in_options() {
        check(&[
            (
                &["psql", "-c", "DROP TABLE users"],
                vec![opt("-c", "DROP TABLE users")],
            ),
            (
                &[
                    "psql",
                    "postgres://u@h/db",
                    "-c",
                    "SELECT 1",
                    "--command",
                    "DROP TABLE t",
                ],
                vec![opt("-c", "SELECT 1"), opt("--command", "DROP TABLE t")],
            ),
            (
                &["psql", "--command=TRUNCATE t"],
                vec![opt("--command", "TRUNCATE t")],
            ),
            (
                &["psql", "-Atc", "DELETE FROM t"],
                vec![opt("-c", "DELETE FROM t")],
            ),
            (&["psql", "-h", "-c", "x"], vec![]),
            (
                &["mysql", "-uroot", "-psecret", "-e", "DROP DATABASE x"],
                vec![opt("-e", "DROP DATABASE x")],
            ),
            (
                &["mariadb", "-eDROP TABLE t"],
                vec![opt("-e", "DROP TABLE t")],
            ),
            (
                &["mysql", "--execute=DROP TABLE t", "db"],
                vec![opt("--execute", "DROP TABLE t")],
            ),
            (&["mysql", "-pexecute", "db"], vec![]),
            (
                &["sqlcmd", "-S", "srv", "-Q", "DROP TABLE t"],
                vec![opt("-Q", "DROP TABLE t")],
            ),
            (
                &["sqlcmd", "-qDELETE FROM t"],
                vec![opt("-q", "DELETE FROM t")],
            ),
            (
                &["clickhouse-client", "--query=DROP TABLE t"],
                vec![opt("--query", "DROP TABLE t")],
            ),
            (
                &["clickhouse", "client", "-q", "TRUNCATE t"],
                vec![opt("-q", "TRUNCATE t")],
            ),
            (
                &["clickhouse", "local", "--query", "SELECT 1"],
                vec![opt("--query", "SELECT 1")],
            ),
            (
                &["cockroach", "sql", "--url", "u", "-e", "DROP TABLE t"],
                vec![opt("-e", "DROP TABLE t")],
            ),
            (
                &["cqlsh", "-e", "DROP KEYSPACE k"],
                vec![opt("-e", "DROP KEYSPACE k")],
            ),
            (
                &["snowsql", "-c", "prod", "-q", "DROP TABLE t"],
                vec![opt("-q", "DROP TABLE t")],
            ),
            (
                &["influx", "-execute", "DROP DATABASE d"],
                vec![opt("-execute", "DROP DATABASE d")],
            ),
            (
                &["wrangler", "d1", "execute", "db", "--command=DROP TABLE t"],
                vec![opt("--command", "DROP TABLE t")],
            ),
            (
                &["heroku", "pg:psql", "-c", "DROP TABLE t"],
                vec![opt("-c", "DROP TABLE t")],
            ),
            (
                &[
                    "aws",
                    "rds-data",
                    "execute-statement",
                    "--sql",
                    "DROP TABLE t",
                ],
                vec![opt("--sql", "DROP TABLE t")],
            ),
            (
                &["mongosh", "db", "--eval", "db.dropDatabase()"],
                vec![opt("--eval", "db.dropDatabase()")],
            ),
        ]);
    }

    #[test]
    fn sql_in_operands() {
        check(&[
            (
                &["sqlite3", "app.db", "DROP TABLE t"],
                vec![operand("DROP TABLE t")],
            ),
            (
                &[
                    "sqlite3",
                    "-bail",
                    "-cmd",
                    "PRAGMA x",
                    "app.db",
                    "DELETE FROM t",
                    ".quit",
                ],
                vec![
                    opt("-cmd", "PRAGMA x"),
                    operand("DELETE FROM t"),
                    operand(".quit"),
                ],
            ),
            (&["sqlite3", "app.db"], vec![]),
            (
                &["duckdb", "x.db", "DROP TABLE t"],
                vec![operand("DROP TABLE t")],
            ),
            (
                &["duckdb", "-csv", "-c", "DROP TABLE t"],
                vec![opt("-c", "DROP TABLE t")],
            ),
            (&["redis-cli", "FLUSHALL"], vec![operand("FLUSHALL")]),
            (
                &["redis-cli", "-h", "h", "-n", "0", "flushdb"],
                vec![operand("flushdb")],
            ),
            (
                &["redis-cli", "-c", "del", "-key"],
                vec![operand("del -key")],
            ),
            (&["redis-cli", "-h", "h"], vec![]),
            (
                &[
                    "bq",
                    "--location=US",
                    "query",
                    "--use_legacy_sql=false",
                    "DELETE FROM d.t",
                    "WHERE true",
                ],
                vec![operand("DELETE FROM d.t WHERE true")],
            ),
            (
                &["turso", "db", "shell", "prod", "DROP TABLE t"],
                vec![operand("DROP TABLE t")],
            ),
            (&["turso", "db", "shell", "prod"], vec![]),
            (
                &["influx", "query", "from(bucket: \"b\")"],
                vec![operand("from(bucket: \"b\")")],
            ),
        ]);
    }
}
