namespace Imb;

/// <summary>What Imb may do to the declared streams when the host starts.</summary>
public enum ProvisioningMode
{
    /// <summary>Create what is missing and apply compatible changes; never delete or recreate.</summary>
    CreateOrUpdate,

    /// <summary>Never write: a missing or differing stream fails start. For credentials that cannot manage streams.</summary>
    VerifyOnly,
}
