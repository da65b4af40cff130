with

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

versions as (
    select * from {{ ref('int_articles_versioned') }}
),

final as (
    select
        documents.article_id,
        documents.content_sha256,
        documents.source_file,
        documents.source_path,
        documents.title,
        documents.encoding,
        documents.date_source,
        documents.date_issue,
        documents.size_bytes,
        coalesce(versions.n_source_files, 0) as n_source_files,
        coalesce(versions.is_current, false) as is_current,
        documents.published_date,
        documents.ingested_at
    from documents
    left join versions
        on documents.article_id = versions.article_id
)

select * from final
