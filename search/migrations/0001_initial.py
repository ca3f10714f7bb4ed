import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from search.operations import OnlyOn

# Porter stemming over unicode61 without diacritics; search.text folds and splits CJK first.
SQLITE_INDEX = """
CREATE VIRTUAL TABLE search_sqlite USING fts5(
    title, body, tokenize = 'porter unicode61 remove_diacritics 2'
)"""
# A title's words weigh ten times a text's in bm25, the table's rank.
SQLITE_RANK = "INSERT INTO search_sqlite (search_sqlite, rank) VALUES ('rank', 'bm25(10.0, 1.0)')"


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0001_initial'),
        ('forum', '0009_tree_versions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.PositiveSmallIntegerField(choices=[(1, 'Article'), (2, 'Thread'), (3, 'Post')])),
                ('title', models.CharField(blank=True, max_length=300)),
                ('text', models.TextField(blank=True, help_text='Plain text, for the excerpts.')),
                ('author_name', models.CharField(blank=True, max_length=150)),
                ('created_at', models.DateTimeField()),
                ('article', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.article')),
                ('post', models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.post')),
                ('thread', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.thread')),
            ],
        ),
        migrations.CreateModel(
            name='SqliteIndex',
            fields=[
                ('document', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='sqlite_index', serialize=False, to='search.document')),
                ('title', models.TextField()),
                ('body', models.TextField()),
                ('fts', models.TextField(db_column='search_sqlite')),
                ('rank', models.FloatField()),
            ],
            options={
                'db_table': 'search_sqlite',
                'managed': False,
            },
        ),
        OnlyOn(
            'sqlite',
            migrations.RunSQL([SQLITE_INDEX, SQLITE_RANK], 'DROP TABLE search_sqlite'),
        ),
        OnlyOn(
            'postgresql',
            migrations.CreateModel(
                name='PostgresIndex',
                fields=[
                    ('document', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='postgres_index', serialize=False, to='search.document')),
                    ('vector', django.contrib.postgres.search.SearchVectorField()),
                ],
                options={
                    'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_vector_gin')],
                },
            ),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['author_name'], name='search_author'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['thread', 'created_at'], name='search_thread_created'),
        ),
    ]
