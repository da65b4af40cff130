-- One row per article: is it what some input path holds now?
-- Every sighting of a path is kept in raw: read as an article (source_files), not an
-- article (rejected_files) or gone (missing_files). A path is its input folder plus its
-- relative path (one name under two folders is two files), and its last sighting is what
-- it holds now: after A -> B -> A the path holds A, and B's facts leave the marts; a
-- deleted or emptied path holds no article, so its facts leave the marts too, unless the
-- var keep_facts_of_removed_files keeps a path's last article (FRONTLINE_KEEP_FACTS_OF_REMOVED_FILES).
with

read_as_article as (
    select
        input_root,
        source_path,
        article_id,
        ingested_at as seen_at
    from {{ ref('stg_raw__source_files') }}
),

sightings as (
    select * from read_as_article
    union all
    select
        input_root,
        source_path,
        null as article_id,
        rejected_at as seen_at
    from {{ ref('stg_raw__rejected_files') }}
    union all
    select
        input_root,
        source_path,
        null as article_id,
        missing_at as seen_at
    from {{ ref('stg_raw__missing_files') }}
),

held_now as (
    select
        input_root,
        source_path,
        article_id
    from
        {% if var('keep_facts_of_removed_files', false) %}
            read_as_article
        {% else %}
            sightings
        {% endif %}
    qualify row_number() over (
        partition by input_root, source_path
        order by seen_at desc, article_id nulls first
    ) = 1
),

per_article as (
    select
        article_id,
        count(distinct [input_root, source_path]) as n_source_files
    from read_as_article
    group by article_id
),

final as (
    select
        per_article.article_id,
        per_article.article_id in (
            select held_now.article_id from held_now where held_now.article_id is not null
        ) as is_current,
        per_article.n_source_files
    from per_article
)

select * from final
